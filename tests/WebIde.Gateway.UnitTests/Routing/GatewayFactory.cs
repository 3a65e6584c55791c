using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>
/// The gateway's real <c>Program</c> on real Kestrel, both of its listeners on ports of their
/// own, so a running <c>./webide up</c> is not disturbed.
/// </summary>
internal sealed class GatewayFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly TestCertificate? _certificate;
    private readonly Action<IServiceCollection>? _configureServices;

    /// <param name="settings">Over the defaults below (a test's own Redis, say).</param>
    /// <param name="certificate">With one, both listeners serve TLS with it, as <c>./webide up --tls</c> configures them.</param>
    /// <param name="configureServices">Changes a test makes to the gateway's registrations after its own.</param>
    public GatewayFactory(IEnumerable<KeyValuePair<string, string?>> settings, TestCertificate? certificate = null, Action<IServiceCollection>? configureServices = null)
    {
        _certificate = certificate;
        _configureServices = configureServices;
        var scheme = certificate is null ? "http" : "https";
        _settings = new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = "gateway",
            ["Kestrel:Endpoints:http:Url"] = $"{scheme}://127.0.0.1:0",
            ["Kestrel:Endpoints:grpc:Url"] = $"{scheme}://127.0.0.1:0",
            // Nothing listens there; the gateway must start anyway.
            ["ConnectionStrings:redis"] = "127.0.0.1:1,abortConnect=false,connectTimeout=200,asyncTimeout=500,syncTimeout=500,connectRetry=0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (certificate is not null)
        {
            _settings["Kestrel:Certificates:Default:Path"] = certificate.CertificateFile;
            _settings["Kestrel:Certificates:Default:KeyPath"] = certificate.KeyFile;
        }
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
        UseKestrel();
    }

    /// <summary>The listener for the browser: the web app, REST and WebSockets.</summary>
    public Uri HttpAddress { get; private set; } = null!;

    /// <summary>The HTTP/2-only listener for gRPC.</summary>
    public Uri GrpcAddress { get; private set; } = null!;

    public async Task StartAsync()
    {
        StartServer();

        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses
            .Select(address => new Uri(address))
            .ToList();
        Assert.That(addresses, Has.Count.EqualTo(2), "the gateway listens on its http and grpc endpoints only");

        // Both bind to port 0: the HTTP/1.1 listener is the one that answers HTTP/1.1.
        foreach (var address in addresses)
        {
            if (await AnswersHttp11Async(address))
            {
                HttpAddress = address;
            }
            else
            {
                GrpcAddress = address;
            }
        }
        Assert.That(HttpAddress, Is.Not.Null, "no listener answers HTTP/1.1");
        Assert.That(GrpcAddress, Is.Not.Null, "every listener answers HTTP/1.1; the grpc one must be HTTP/2 only");
    }

    public HttpClient CreateHttpClient() => new(Handler(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }))
    {
        BaseAddress = HttpAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>HTTP/2 as gRPC clients speak it: with prior knowledge without TLS, negotiated by ALPN with it.</summary>
    public HttpClient CreateGrpcClient() => new(Handler(new SocketsHttpHandler()))
    {
        BaseAddress = GrpcAddress,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromSeconds(30),
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Settings reach the gateway's Program as command-line arguments, so that what it
        // reads while building (the service name, Kestrel's endpoints) sees them too.
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        if (_configureServices is not null)
        {
            builder.ConfigureTestServices(_configureServices);
        }
    }

    /// <summary>Under TLS, a handler that trusts the gateway's certificate and no other.</summary>
    private SocketsHttpHandler Handler(SocketsHttpHandler handler)
    {
        if (_certificate is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = _certificate.Validate;
        }
        return handler;
    }

    private async Task<bool> AnswersHttp11Async(Uri address)
    {
        using var client = new HttpClient(Handler(new SocketsHttpHandler())) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await client.GetAsync(new Uri("/alive", UriKind.Relative));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
