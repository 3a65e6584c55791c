using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using WebIde.ServiceDefaults.Tls;
using WebIde.Tests.Shared.Tls;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>
/// A deployment that serves a service over HTTPS with a certificate of its internal CA lists it by an <c>https</c>
/// discovery entry and names the CA (<c>WebIde:Tls:CaFile</c>): the gateway's proxy reaches it over TLS, and answers
/// 502 rather than forward to a server that CA did not sign.
/// </summary>
public sealed class InternalTlsRoutingTests : TwoAuthorities
{
    private const string Answer = "identity, over TLS";

    private WebApplication _identity = null!;
    private Uri _identityAddress = null!;

    [OneTimeSetUp]
    public async Task StartIdentityOverTlsAsync()
    {
        var certificate = Authority.Server.Load();
        ListenOptions? listener = null;
        // Empty: no configuration files, so nothing binds but this listener.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(certificate);
            listener = listen;
        }));
        _identity = builder.Build();
        _identity.Run(context => context.Response.WriteAsync(Answer));
        await _identity.StartAsync();
        _identityAddress = new Uri($"https://127.0.0.1:{((IPEndPoint)listener!.EndPoint).Port}");
    }

    [OneTimeTearDown]
    public async Task StopIdentityAsync()
    {
        if (_identity is not null)
        {
            await _identity.DisposeAsync();
        }
    }

    [Test]
    public async Task TheProxyReachesAServiceSignedByTheInternalCa()
    {
        await using var gateway = await StartGatewayAsync(Authority.AuthorityFile);
        using var client = new HttpClient { BaseAddress = gateway.HttpAddress };

        using var response = await client.GetAsync(new Uri("/api/workspaces", UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(Answer));
        }
    }

    [Test]
    public async Task AServiceOfAnotherCaIsNotForwardedTo()
    {
        await using var gateway = await StartGatewayAsync(Stranger.AuthorityFile);
        using var client = new HttpClient { BaseAddress = gateway.HttpAddress };

        using var response = await client.GetAsync(new Uri("/api/workspaces", UriKind.Relative));

        // Not forwarded: the client is told the service is unavailable, as for any service it cannot reach.
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(response.Headers.RetryAfter, Is.Not.Null);
    }

    private async Task<GatewayFactory> StartGatewayAsync(string authorityFile)
    {
        var gateway = new GatewayFactory(
        [
            new("services:identity:https:0", _identityAddress.ToString()),
            new(InternalCertificateAuthority.Setting, authorityFile),
        ]);
        await gateway.StartAsync();
        return gateway;
    }
}
