using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.ServiceDiscovery;

namespace WebIde.ServiceDefaults.UnitTests.Tls;

/// <summary>
/// The services reach each other over HTTPS where a deployment lists HTTPS endpoints for the service, over plain HTTP
/// where only those are listed (the local platform): <see cref="ServiceAddress"/>, resolved by service discovery.
/// </summary>
public sealed class ServiceAddressTests
{
    private static readonly Dictionary<string, string?> Plain = new()
    {
        ["services:identity:http:0"] = "http://127.0.0.1:5101",
        ["services:identity:grpc:0"] = "http://127.0.0.1:5106",
    };

    private static readonly Dictionary<string, string?> Secured = new()
    {
        ["services:identity:https:0"] = "https://identity.internal:8443",
        ["services:identity:grpc:0"] = "https://identity.internal:8444",
    };

    [Test]
    public async Task WithOnlyPlainEndpointsTheyAreUsed()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ResolveAsync(ServiceAddress.Http("identity"), Plain), Is.EqualTo(["http://127.0.0.1:5101/"]));
            Assert.That(await ResolveAsync(ServiceAddress.Grpc(Configuration(Plain), "identity"), Plain), Is.EqualTo(["http://127.0.0.1:5106/"]));
        }
    }

    [Test]
    public async Task WithHttpsEndpointsHttpsIsUsed()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ResolveAsync(ServiceAddress.Http("identity"), Secured), Is.EqualTo(["https://identity.internal:8443/"]));
            Assert.That(await ResolveAsync(ServiceAddress.Grpc(Configuration(Secured), "identity"), Secured), Is.EqualTo(["https://identity.internal:8444/"]));
        }
    }

    [Test]
    public void AGrpcAddressHasASchemeAGrpcChannelTakes()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ServiceAddress.Grpc(Configuration(Plain), "identity"), Is.EqualTo(new Uri("http://_grpc.identity")));
            Assert.That(ServiceAddress.Grpc(Configuration(Secured), "identity"), Is.EqualTo(new Uri("https://_grpc.identity")));
        }
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    private static async Task<IReadOnlyList<string>> ResolveAsync(Uri address, Dictionary<string, string?> settings)
    {
        var configuration = Configuration(settings);
        await using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddServiceDiscovery()
            .BuildServiceProvider();
        var resolver = services.GetRequiredService<ServiceEndpointResolver>();
        var source = await resolver.GetEndpointsAsync(address.ToString(), CancellationToken.None);
        return source.Endpoints.Select(endpoint => endpoint.EndPoint.ToString()!).ToList();
    }
}
