using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.ServiceDiscovery;

namespace WebIde.ServiceDefaults.UnitTests.Tls;

/// <summary>
/// The services reach each other at <c>https+http://</c> addresses: over HTTPS where a deployment lists an HTTPS
/// endpoint for the service, over plain HTTP where only that is listed (the local platform).
/// </summary>
public sealed class ServiceAddressTests
{
    [TestCase("https+http://identity", "http", "http://127.0.0.1:5101/")]
    [TestCase("https+http://_grpc.identity", "grpc", "http://127.0.0.1:5106/")]
    public async Task WithOnlyPlainEndpointsTheyAreUsed(string address, string endpoint, string expected)
    {
        var resolved = await ResolveAsync(address, new()
        {
            ["services:identity:http:0"] = "http://127.0.0.1:5101",
            ["services:identity:grpc:0"] = "http://127.0.0.1:5106",
        });

        Assert.That(resolved, Is.EqualTo([expected]), endpoint);
    }

    [TestCase("https+http://identity", "https://identity.internal:8443/")]
    [TestCase("https+http://_grpc.identity", "https://identity.internal:8444/")]
    public async Task WithHttpsEndpointsHttpsIsUsed(string address, string expected)
    {
        var resolved = await ResolveAsync(address, new()
        {
            ["services:identity:https:0"] = "https://identity.internal:8443",
            ["services:identity:grpc:0"] = "https://identity.internal:8444",
        });

        Assert.That(resolved, Is.EqualTo([expected]));
    }

    private static async Task<IReadOnlyList<string>> ResolveAsync(string address, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddServiceDiscovery()
            .BuildServiceProvider();
        var resolver = services.GetRequiredService<ServiceEndpointResolver>();
        var source = await resolver.GetEndpointsAsync(address, CancellationToken.None);
        return source.Endpoints.Select(endpoint => endpoint.EndPoint.ToString()!).ToList();
    }
}
