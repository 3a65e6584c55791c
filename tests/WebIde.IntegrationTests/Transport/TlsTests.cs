using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Health.V1;
using WebIde.Contracts.Execution.V1;
using WebIde.IntegrationTests.Collaboration.Protocol;
using WebIde.IntegrationTests.Execution;

namespace WebIde.IntegrationTests.Transport;

/// <summary>
/// <c>./webide up --tls</c> (docs/api.md §7): HTTPS with HSTS and WSS on the HTTP port, gRPC over TLS on the gRPC port,
/// under a certificate that chains to the platform's own CA. Only a run under TLS can show it
/// (<c>WEBIDE_TEST_TLS=1 ./webide test</c> or <c>./webide test --tls</c>); every other test then runs over TLS too.
/// </summary>
public sealed class TlsTests
{
    [SetUp]
    public void RequireTls()
    {
        if (!GatewayTls.Enabled)
        {
            Assert.Ignore("The platform was booted without TLS: run with WEBIDE_TEST_TLS=1 (./webide test --tls).");
        }
    }

    [Test]
    public async Task TheWebAppAndTheApiAnswerOverHttpsWithHsts()
    {
        using var client = Platform.CreateGatewayClient();

        using var page = await client.GetAsync(new Uri("/", UriKind.Relative));
        using var jwks = await client.GetAsync(new Uri("/api/auth/jwks", UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(client.BaseAddress!.Scheme, Is.EqualTo(Uri.UriSchemeHttps));
            Assert.That(jwks.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(page.Headers.GetValues("Strict-Transport-Security"), Is.EqualTo(new[] { "max-age=31536000" }));
            Assert.That(jwks.Headers.GetValues("Strict-Transport-Security"), Is.EqualTo(new[] { "max-age=31536000" }));
        }
    }

    [Test]
    public async Task TheServedCertificateNamesTheMachineAndChainsToThePlatformsCa()
    {
        var gateway = Platform.GatewayAddress;
        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(IPAddress.Loopback, gateway.Port);
        X509Certificate2? served = null;
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            {
                served = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                return GatewayTls.Validate(sender, certificate, chain, errors);
            },
        });

        using var authority = X509CertificateLoader.LoadCertificateFromFile(GatewayTls.AuthorityFile);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var names = served!.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(tls.IsAuthenticated, Is.True, "the gateway's certificate is good for 127.0.0.1 under the platform's CA");
            Assert.That(chain.Build(served), Is.True);
            Assert.That(names.EnumerateDnsNames(), Does.Contain("localhost").And.Contain(Dns.GetHostName()));
            Assert.That(names.EnumerateIPAddresses(), Does.Contain(IPAddress.Loopback).And.Contain(IPAddress.IPv6Loopback));
        }
        served.Dispose();
    }

    [Test]
    public async Task PlainHttpOnTheHttpsPortReachesNothing()
    {
        using var plain = new HttpClient { BaseAddress = new UriBuilder(Platform.GatewayAddress) { Scheme = Uri.UriSchemeHttp }.Uri, Timeout = TimeSpan.FromSeconds(10) };

        HttpStatusCode? status = null;
        try
        {
            using var answer = await plain.GetAsync(new Uri("/api/auth/jwks", UriKind.Relative));
            status = answer.StatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            // Refused, or never answered, at the TLS handshake: what is expected.
        }

        Assert.That(status is null or HttpStatusCode.BadRequest, Is.True, $"plain HTTP got {status}");
    }

    [Test]
    public async Task AGrpcCallOverTlsIsAnswered()
    {
        using var channel = GatewayTls.GrpcChannel();

        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
        var anonymous = Assert.ThrowsAsync<RpcException>(async () =>
            await new WebIde.Contracts.Execution.V1.Execution.ExecutionClient(channel).ListLanguagesAsync(new ListLanguagesRequest(), ExecGrpc.As(token: null, seconds: 30)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Platform.GrpcAddress.Scheme, Is.EqualTo(Uri.UriSchemeHttps));
            Assert.That(health.Status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.Serving));
            Assert.That(anonymous!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated), "the call reached execution, which answers as over plain HTTP/2");
        }
    }

    [Test]
    public async Task ACollaborationSocketOpensOverWss()
    {
        using var workspace = await CollabWorkspace.CreateAsync("tls.txt", "over TLS");

        var (socket, joined) = await workspace.JoinAsync("tls.txt");
        await using (socket)
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(Platform.GatewaySocketAddress("/ws").Scheme, Is.EqualTo(Uri.UriSchemeWss));
                Assert.That(joined.GetProperty("content").GetString(), Is.EqualTo("over TLS"));
            }
        }
    }
}
