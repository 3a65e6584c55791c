using System.Net;
using System.Security.Authentication;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebIde.Contracts.Identity.V1;
using WebIde.ServiceDefaults.Tls;
using WebIde.Tests.Shared.Tls;
using IdentityAuthorization = WebIde.Contracts.Identity.V1.Authorization;

namespace WebIde.ServiceDefaults.UnitTests.Tls;

/// <summary>
/// A deployment that gives a service an HTTPS endpoint signed by its internal CA (<c>WebIde:Tls:CaFile</c>): the
/// other services' HTTP and gRPC clients, made by the HTTP client factory as <c>AddServiceDefaults</c> sets it up,
/// reach it, and refuse a server whose certificate that CA did not sign.
/// </summary>
public sealed class HttpTlsTests : TwoAuthorities
{
    private const string PlainClient = "no-retries";

    private WebApplication _server = null!;
    private Uri _address = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        var certificate = Authority.Server.Load();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(certificate);
        }));
        _server = builder.Build();
        _server.MapGet("/ping", () => "pong");
        // Enough of gRPC for a unary call: one empty message, then status OK.
        _server.MapPost("/webide.identity.v1.Authorization/Authorize", async context =>
        {
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(new byte[5]);
            context.Response.AppendTrailer("grpc-status", "0");
        });
        // Enough of identity's published keys for a service to fetch them (the JWT bearer handler's own client).
        _server.MapGet("/.well-known/openid-configuration", () => Results.Text(
            $$"""{"issuer":"webide","jwks_uri":"https://127.0.0.1:{{_address.Port}}/jwks"}""", "application/json"));
        _server.MapGet("/jwks", () => Results.Text("""{"keys":[]}""", "application/json"));
        await _server.StartAsync();
        var bound = _server.Urls.Single();
        _address = new Uri($"https://127.0.0.1:{new Uri(bound).Port}");
    }

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Test]
    public async Task HttpClientsTrustTheInternalCa()
    {
        using var client = ClientHost(Authority.AuthorityFile);

        using var http = client.Services.GetRequiredService<IHttpClientFactory>().CreateClient();
        var answer = await http.GetStringAsync(new Uri(ServiceAddress.Http("identity"), "/ping"));

        Assert.That(answer, Is.EqualTo("pong"));
    }

    [Test]
    public async Task GrpcClientsTrustTheInternalCa()
    {
        using var client = ClientHost(Authority.AuthorityFile);

        var authorization = client.Services.GetRequiredService<IdentityAuthorization.AuthorizationClient>();
        var answer = await authorization.AuthorizeAsync(new AuthorizeRequest(), deadline: DateTime.UtcNow.AddSeconds(10));

        Assert.That(answer, Is.EqualTo(new AuthorizeResponse()));
    }

    [Test]
    public async Task IdentitysPublishedKeysAreFetchedTrustingTheInternalCa()
    {
        using var client = ClientHost(Authority.AuthorityFile);

        var configuration = await BearerOptions(client).ConfigurationManager!.GetConfigurationAsync(CancellationToken.None);

        Assert.That(configuration.Issuer, Is.EqualTo("webide"));
    }

    [Test]
    public void IdentitysPublishedKeysAreNotFetchedFromAServerOfAnotherCa()
    {
        using var client = ClientHost(Stranger.AuthorityFile);

        Assert.That(async () => await BearerOptions(client).ConfigurationManager!.GetConfigurationAsync(CancellationToken.None),
            Throws.InstanceOf<InvalidOperationException>().With.Message.Contains(".well-known/openid-configuration"));
    }

    [Test]
    public void AServerOfAnotherCaIsRefused()
    {
        using var client = ClientHost(Stranger.AuthorityFile);

        AssertRefusedForItsCertificate(client);
    }

    [Test]
    public void WithoutTheInternalCaTheMachinesTrustStoreDoesNotTrustIt()
    {
        using var client = ClientHost(authorityFile: null);

        AssertRefusedForItsCertificate(client);
    }

    [Test]
    public void AGrpcClientRefusesAServerOfAnotherCa()
    {
        using var client = ClientHost(Stranger.AuthorityFile);

        var authorization = client.Services.GetRequiredService<IdentityAuthorization.AuthorizationClient>();
        var refusal = Assert.ThrowsAsync<RpcException>(async () => await authorization.AuthorizeAsync(new AuthorizeRequest(), deadline: DateTime.UtcNow.AddSeconds(30)));

        Assert.That(refusal!.Status.DebugException, Is.InstanceOf<HttpRequestException>().With.InnerException.InstanceOf<AuthenticationException>(), refusal.ToString());
    }

    /// <summary>Another service, as <c>AddServiceDefaults</c> makes it, with a gRPC client of identity, which discovery finds at the server.</summary>
    private IHost ClientHost(string? authorityFile)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Configuration["OTEL_SERVICE_NAME"] = "filesystem";
        builder.Configuration["services:identity:https:0"] = _address.ToString();
        builder.Configuration["services:identity:grpc:0"] = _address.ToString();
        if (authorityFile is not null)
        {
            builder.Configuration[InternalCertificateAuthority.Setting] = authorityFile;
        }
        builder.AddServiceDefaults();
        builder.AddDefaultAuthentication();
        builder.Services.AddServiceGrpcClient<IdentityAuthorization.AuthorizationClient>("identity");
        // A refused handshake is retried by the standard resilience handler for half a minute; one attempt shows it.
#pragma warning disable EXTEXP0001 // Experimental, and the only way to opt one client out of the defaults.
        builder.Services.AddHttpClient(PlainClient).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        return builder.Build();
    }

    private static JwtBearerOptions BearerOptions(IHost client) =>
        client.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);

    private void AssertRefusedForItsCertificate(IHost client)
    {
        using var http = client.Services.GetRequiredService<IHttpClientFactory>().CreateClient(PlainClient);

        var refusal = Assert.ThrowsAsync<HttpRequestException>(async () => await http.GetStringAsync(new Uri(ServiceAddress.Http("identity"), "/ping")));

        Assert.That(refusal!.InnerException, Is.InstanceOf<AuthenticationException>(), refusal.ToString());
    }
}
