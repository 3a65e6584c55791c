using System.IO.Compression;
using System.Text;

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

    /// <summary>A hashed asset the web build compressed: <c>.br</c> and <c>.gz</c> files beside it.</summary>
    public const string CompressedAssetPath = "/assets/editor-def456.js";

    /// <summary>What <see cref="CompressedAssetPath"/> holds: script text, which compresses well.</summary>
    public static readonly byte[] CompressedAsset = Encoding.UTF8.GetBytes(string.Concat(
        Enumerable.Range(0, 2000).Select(i => $"export const line{i} = 'the editor chunk, line {i}';\n")));

    /// <summary>The operator key the gateway is given, as the AppHost gives it one.</summary>
    public const string OperatorKey = "operator-key-for-the-gateway-tests";

    internal static GatewayFactory Gateway => _gateway ?? throw new InvalidOperationException("The gateway has not started.");

    internal static EchoServices Services => _services ?? throw new InvalidOperationException("The echo services have not started.");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _webRoot = Directory.CreateTempSubdirectory("webide-webroot-");
        Directory.CreateDirectory(Path.Combine(_webRoot.FullName, "assets"));
        await WriteWithCompressedCopiesAsync(Path.Combine(_webRoot.FullName, "index.html"), Encoding.UTF8.GetBytes(IndexHtml));
        await File.WriteAllTextAsync(Path.Combine(_webRoot.FullName, "assets", "app-abc123.js"), "console.log('webide');");
        await WriteWithCompressedCopiesAsync(Path.Combine(_webRoot.FullName, CompressedAssetPath.TrimStart('/')), CompressedAsset);

        _services = await EchoServices.StartAsync();
        _gateway = new GatewayFactory(_services.ServiceDiscoverySettings().Concat(
        [
            new("WebApp:Root", _webRoot.FullName),
            new("Health:OperatorKey", OperatorKey),
            // One round of health checks for the whole run: a test can count what the services are asked.
            new("Health:CacheFor", "00:10:00"),
        ]));
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

    /// <summary>The file and what <c>npm run build</c> writes beside it (web/scripts/compress.mjs).</summary>
    private static async Task WriteWithCompressedCopiesAsync(string path, byte[] content)
    {
        await File.WriteAllBytesAsync(path, content);
        await using (var brotli = new BrotliStream(File.Create(path + ".br"), CompressionLevel.SmallestSize))
        {
            await brotli.WriteAsync(content);
        }
        await using (var gzip = new GZipStream(File.Create(path + ".gz"), CompressionLevel.SmallestSize))
        {
            await gzip.WriteAsync(content);
        }
    }
}
