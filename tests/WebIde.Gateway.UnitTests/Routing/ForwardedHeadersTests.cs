using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using WebIde.Gateway.Proxies;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>
/// Whom the services hear the client is (<c>X-Forwarded-For</c>, what identity's login throttle counts): the
/// address a trusted proxy names, or else the peer itself, whatever the client wrote into the headers.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string Client = "203.0.113.9";
    private static readonly IPAddress TrustedPeer = IPAddress.Loopback;
    private static readonly IPAddress UntrustedPeer = IPAddress.Parse("127.0.0.2");

    private GatewayFactory _behindProxy = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _behindProxy = new GatewayFactory(GatewayUnderTest.Services.ServiceDiscoverySettings().Concat(
        [
            new($"{TrustedProxyOptions.Section}:TrustedProxies:0", TrustedPeer.ToString()),
            new($"{TrustedProxyOptions.Section}:TrustedProxies:1", "10.0.0.0/8"),
        ]));
        await _behindProxy.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _behindProxy.DisposeAsync();

    [Test]
    public async Task WithNoTrustedProxyASpoofedAddressIsReplacedByThePeers()
    {
        var seen = await SendAsync(GatewayUnderTest.Gateway, TrustedPeer, forwardedFor: Client, forwardedProto: "https");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen.ForwardedFor, Is.EqualTo(TrustedPeer.ToString()), "loopback is no proxy unless configured");
            Assert.That(seen.ForwardedProto, Is.EqualTo("http"));
        }
    }

    [Test]
    public async Task ATrustedProxysClientAndSchemeAreHonoured()
    {
        var seen = await SendAsync(_behindProxy, TrustedPeer, forwardedFor: Client, forwardedProto: "https");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen.ForwardedFor, Is.EqualTo(Client));
            Assert.That(seen.ForwardedProto, Is.EqualTo("https"));
        }
    }

    [Test]
    public async Task AnUntrustedPeersForwardedHeadersAreIgnoredAndReplaced()
    {
        var seen = await SendAsync(_behindProxy, UntrustedPeer, forwardedFor: Client, forwardedProto: "https");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen.ForwardedFor, Is.EqualTo(UntrustedPeer.ToString()));
            Assert.That(seen.ForwardedProto, Is.EqualTo("http"));
        }
    }

    [Test]
    public async Task WhatTheClientWroteBeforeATrustedProxyAppendedItsAddressIsIgnored()
    {
        // The client sent "X-Forwarded-For: 198.51.100.1"; the proxy appended the address it saw.
        var seen = await SendAsync(_behindProxy, TrustedPeer, forwardedFor: $"198.51.100.1, {Client}");

        Assert.That(seen.ForwardedFor, Is.EqualTo(Client));
    }

    [Test]
    public async Task TheClientIsTheRightMostAddressThatIsNotATrustedProxy()
    {
        // Client → 10.1.2.3 (trusted, by network) → 127.0.0.1 (trusted) → gateway.
        var seen = await SendAsync(_behindProxy, TrustedPeer, forwardedFor: $"198.51.100.1, {Client}, 10.1.2.3");

        Assert.That(seen.ForwardedFor, Is.EqualTo(Client));
    }

    [TestCase("10.0.0.5", "10.0.0.5/32")]
    [TestCase("::1", "::1/128")]
    [TestCase(" 192.168.0.0/16 ", "192.168.0.0/16")]
    public void AnAddressOrANetworkIsATrustedProxy(string entry, string network) =>
        Assert.That(TrustedProxyExtensions.Parse(entry).ToString(), Is.EqualTo(network));

    [TestCase("proxy.example")]
    [TestCase("10.0.0.0/33")]
    [TestCase("")]
    public void AnythingElseStopsTheGatewayNamingTheEntry(string entry) =>
        Assert.That(() => TrustedProxyExtensions.Parse(entry),
            Throws.InvalidOperationException.With.Message.Contains($"'{entry}'").And.Message.Contains("TrustedProxies"));

    /// <summary>A request to a proxied route, from <paramref name="peer"/> (any 127.0.0.0/8 address is this machine's).</summary>
    private static async Task<EchoedRequest> SendAsync(GatewayFactory gateway, IPAddress peer, string forwardedFor, string? forwardedProto = null)
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(peer, 0));
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        { BaseAddress = gateway.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/languages");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return (await response.Content.ReadFromJsonAsync<EchoedRequest>())!;
    }
}
