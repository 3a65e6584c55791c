namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>
/// One gateway, with a built web app and the echo services behind it, for every test in this
/// namespace: booting it costs more than all of its tests together.
/// </summary>
[SetUpFixture]
public sealed class GatewayUnderTest
{
    private static EchoServices? _services;
    private static GatewayFactory? _gateway;
    private static DirectoryInfo? _webRoot;

    public const string AssetPath = "/assets/app-abc123.js";
    public const string IndexHtml = """<!doctype html><html><head><script type="module" src="/assets/app-abc123.js"></script></head><body><div id="app"></div></body></html>""";

    internal static GatewayFactory Gateway => _gateway ?? throw new InvalidOperationException("The gateway has not started.");

    internal static EchoServices Services => _services ?? throw new InvalidOperationException("The echo services have not started.");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _webRoot = Directory.CreateTempSubdirectory("webide-webroot-");
        await File.WriteAllTextAsync(Path.Combine(_webRoot.FullName, "index.html"), IndexHtml);
        Directory.CreateDirectory(Path.Combine(_webRoot.FullName, "assets"));
        await File.WriteAllTextAsync(Path.Combine(_webRoot.FullName, "assets", "app-abc123.js"), "console.log('webide');");

        _services = await EchoServices.StartAsync();
        _gateway = new GatewayFactory(_services.ServiceDiscoverySettings().Append(new("WebApp:Root", _webRoot.FullName)));
        await _gateway.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        _webRoot?.Delete(recursive: true);
    }
}
