using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>
/// A route that only configuration adds — bench/collab/gateway-sharedb.json, which
/// <c>./webide up --gateway-config</c> hands to the gateway — works like the built-in socket
/// routes: the socket opens through YARP to its destination, and a token the gateway cannot
/// verify is refused first.
/// </summary>
public sealed class ExtraRouteTests
{
    private const string BenchRoute = "/ws/bench/sharedb";

    [Test]
    public async Task TheBenchmarkRouteFileOpensASocketToItsDestination()
    {
        await using var gateway = await StartWithBenchmarkRouteAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var socket = new ClientWebSocket();
        var address = new UriBuilder(gateway.HttpAddress) { Scheme = "ws" }.Uri;

        await socket.ConnectAsync(new Uri(address, $"{BenchRoute}?client=abc"), deadline.Token);
        var seen = JsonSerializer.Deserialize<EchoedRequest>(await socket.ReceiveTextAsync(deadline.Token), JsonSerializerOptions.Web);
        await socket.SendAsync(Encoding.UTF8.GetBytes("""{"a":"hs"}"""), WebSocketMessageType.Text, true, deadline.Token);
        var echoed = await socket.ReceiveTextAsync(deadline.Token);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen?.Target, Is.EqualTo($"{BenchRoute}?client=abc"));
            Assert.That(echoed, Is.EqualTo("""echo:{"a":"hs"}"""));
        }
    }

    [Test]
    public async Task TheBenchmarkRouteChecksTokensAsTheCollaborationRouteDoes()
    {
        await using var gateway = await StartWithBenchmarkRouteAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var socket = new ClientWebSocket { Options = { CollectHttpResponseDetails = true } };
        var address = new UriBuilder(gateway.HttpAddress) { Scheme = "ws" }.Uri;

        Assert.That(async () => await socket.ConnectAsync(new Uri(address, $"{BenchRoute}?access_token=abc.def"), deadline.Token), Throws.InstanceOf<WebSocketException>());
        Assert.That(socket.HttpStatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    /// <summary>A gateway given the file's settings, its one destination moved to an echo listener.</summary>
    private static async Task<GatewayFactory> StartWithBenchmarkRouteAsync()
    {
        var file = Path.Combine(RepositoryRoot(), "bench", "collab", "gateway-sharedb.json");
        var settings = new ConfigurationBuilder().AddJsonFile(file, optional: false).Build().AsEnumerable()
            .Where(setting => setting.Value is not null)
            .ToList();
        var destination = settings.Single(setting => setting.Key.EndsWith(":Address", StringComparison.Ordinal));
        Assert.That(destination.Value, Does.StartWith("http://127.0.0.1:"), "the benchmark starts its ShareDB server on this machine");
        settings.Remove(destination);
        settings.Add(new(destination.Key, $"http://127.0.0.1:{GatewayUnderTest.Services.Port(EchoServices.Collaboration)}"));
        Assert.That(settings, Has.Some.Matches<KeyValuePair<string, string?>>(setting => setting.Value == BenchRoute));

        var gateway = new GatewayFactory(GatewayUnderTest.Services.ServiceDiscoverySettings().Concat(settings));
        await gateway.StartAsync();
        return gateway;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "WebIde.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"no WebIde.sln above {AppContext.BaseDirectory}");
    }
}
