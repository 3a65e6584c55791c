using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WebIde.ServiceDefaults.ServiceTokens;

namespace WebIde.ServiceDefaults.UnitTests.ServiceTokens;

public sealed class ServiceTokenRegistrationTests
{
    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    [Test]
    public void WithoutCredentialsNothingIsRegistered()
    {
        var builder = Builder(new() { ["Other:Id"] = "x" });
        var before = builder.Services.Select(service => service.ServiceType).ToArray();

        builder.AddServiceTokens();

        Assert.That(builder.Services.Select(service => service.ServiceType), Is.EqualTo(before));
        using var host = builder.Build();
        Assert.That(host.Services.GetService<ServiceTokenClient>(), Is.Null);
        Assert.That(host.Services.GetService<ServiceTokenHandler>(), Is.Null);
    }

    [Test]
    public void WithCredentialsTheClientAndHandlerAreRegisteredAndTalkToIdentity()
    {
        var builder = Builder(new()
        {
            [$"{ServiceClientCredentials.Section}:Id"] = "execution",
            [$"{ServiceClientCredentials.Section}:Secret"] = "secret",
        });

        builder.AddServiceTokens();

        using var host = builder.Build();
        Assert.That(host.Services.GetService<ServiceTokenClient>(), Is.Not.Null);
        Assert.That(host.Services.GetService<ServiceTokenHandler>(), Is.Not.Null);
        var credentials = host.Services.GetRequiredService<IOptions<ServiceClientCredentials>>().Value;
        Assert.That((credentials.Id, credentials.Secret), Is.EqualTo(("execution", "secret")));
        using var http = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(ServiceTokenClient.HttpClientName);
        Assert.That(http.BaseAddress, Is.EqualTo(ServiceAddress.Http("identity")));
    }

    [Test]
    public async Task AClientMarkedWithAddServiceTokenSendsTheServiceToken()
    {
        var builder = Builder(new()
        {
            [$"{ServiceClientCredentials.Section}:Id"] = "execution",
            [$"{ServiceClientCredentials.Section}:Secret"] = "secret",
        });
        builder.AddServiceTokens();
        using var endpoint = new TokenEndpoint();
        var seen = new List<string?>();
        builder.Services.AddSingleton<IHttpClientFactory>(endpoint);
        builder.Services.AddHttpClient("files")
            .ConfigurePrimaryHttpMessageHandler(() => new Recorder(seen))
            .AddServiceToken();
        builder.Services.AddSingleton<ServiceTokenClient>(services => new ServiceTokenClient(endpoint, services.GetRequiredService<IOptions<ServiceClientCredentials>>(), TimeProvider.System));

        using var host = builder.Build();
        var files = host.Services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler("files");
        using var http = new HttpClient(files, disposeHandler: false);
        using var response = await http.GetAsync(new Uri("http://filesystem/files"));

        Assert.That(seen, Is.EqualTo(new[] { "Bearer token-1" }));
        Assert.That(endpoint.Requests.Single().Form["client_id"], Is.EqualTo("execution"));
    }

    private sealed class Recorder(List<string?> seen) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Add(request.Headers.Authorization?.ToString());
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }
    }
}
