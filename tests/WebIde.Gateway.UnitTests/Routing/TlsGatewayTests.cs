using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>
/// The gateway as <c>./webide up --tls</c> starts it (docs/api.md §7): HTTPS with HSTS on its HTTP port, gRPC over TLS
/// on its gRPC port, h2 negotiated by ALPN.
/// </summary>
public sealed class TlsGatewayTests
{
    private static TestCertificate _certificate = null!;
    private static EchoServices _services = null!;
    private static GatewayFactory _gateway = null!;
    private static HttpMessageInvoker _sockets = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _certificate = new TestCertificate();
        _services = await EchoServices.StartAsync();
        _gateway = new GatewayFactory(_services.ServiceDiscoverySettings(), _certificate);
        await _gateway.StartAsync();
        _sockets = new HttpMessageInvoker(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = _certificate.Validate } });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _sockets.Dispose();
        await _gateway.DisposeAsync();
        await _services.DisposeAsync();
        _certificate.Dispose();
    }

    [TestCase("/")]
    [TestCase("/api/no/such/route")]
    [TestCase("/api/languages")]
    public async Task HttpsResponsesTellTheBrowserToComeBackOnlyOverHttps(string path)
    {
        using var client = _gateway.CreateHttpClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(client.BaseAddress!.Scheme, Is.EqualTo("https"));
            Assert.That(response.Headers.GetValues("Strict-Transport-Security"), Is.EqualTo(new[] { "max-age=31536000" }));
            Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }), "the other headers stay");
        }
    }

    [Test]
    public async Task TheGrpcPortSpeaksHttp2OverTls()
    {
        using var client = _gateway.CreateGrpcClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/grpc.health.v1.Health/Check", UriKind.Relative))
        {
            Content = new ByteArrayContent(new byte[5]),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("TE", "trailers");

        using var response = await client.SendAsync(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(client.BaseAddress!.Scheme, Is.EqualTo("https"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            Assert.That(response.Version, Is.EqualTo(HttpVersion.Version20));
        }
    }

    /// <summary>WSS as browsers open it: over HTTP/1.1, or over HTTP/2 (RFC 8441) on a connection that negotiated h2.</summary>
    [TestCase("1.1", "/ws/collab/6f1c0f1e-0000-4000-8000-000000000001?client=abc.def", EchoServices.Collaboration)]
    [TestCase("2.0", "/ws/collab/6f1c0f1e-0000-4000-8000-000000000001?client=abc.def", EchoServices.Collaboration)]
    [TestCase("2.0", "/ws/exec/6f1c0f1e-0000-4000-8000-000000000001?client=abc.def", EchoServices.Execution)]
    public async Task ASecureSocketReachesItsServiceAndEchoes(string version, string target, string listener)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var socket = await ConnectAsync(Version.Parse(version), target, deadline.Token);

        var seen = JsonSerializer.Deserialize<EchoedRequest>(await socket.ReceiveTextAsync(deadline.Token), JsonSerializerOptions.Web);
        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true, deadline.Token);
        var echoed = await socket.ReceiveTextAsync(deadline.Token);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen?.Listener, Is.EqualTo(listener));
            Assert.That(seen?.Target, Is.EqualTo(target));
            Assert.That(echoed, Is.EqualTo("echo:hello"));
        }
    }

    /// <summary>
    /// A language server's socket with a bad token is let through to execution to be closed with 4001 (docs/api.md §6)
    /// over HTTP/2 as well, where a socket is an extended CONNECT without an Upgrade header.
    /// </summary>
    [Test]
    public async Task ALanguageServerSocketOverHttp2WithATokenTheGatewayCannotVerifyOpensAtExecution()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var socket = await ConnectAsync(HttpVersion.Version20, "/ws/lsp/6f1c0f1e-0000-4000-8000-000000000001/python?access_token=abc.def", deadline.Token);

        var seen = JsonSerializer.Deserialize<EchoedRequest>(await socket.ReceiveTextAsync(deadline.Token), JsonSerializerOptions.Web);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token);

        Assert.That(seen?.Listener, Is.EqualTo(EchoServices.Execution));
    }

    private static async Task<ClientWebSocket> ConnectAsync(Version version, string target, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket { Options = { HttpVersion = version, HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact } };
        var address = new UriBuilder(_gateway.HttpAddress) { Scheme = "wss" }.Uri;
        try
        {
            await socket.ConnectAsync(new Uri(address, target), _sockets, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
