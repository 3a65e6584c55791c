using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace WebIde.Tests.Shared;

/// <summary>
/// A service serves its OpenAPI document at <c>/openapi/{service}.json</c> to anyone, listing
/// the public paths it maps and none of its internal ones (docs/api.md §0). Each service with
/// a REST API derives one fixture from this.
/// </summary>
/// <param name="service">The AppHost's name for the service, which is also the document's.</param>
/// <param name="addApplicationServices">The service's <c>Extensions.AddApplicationServices</c>.</param>
/// <param name="mapApplicationEndpoints">The service's <c>Extensions.MapApplicationEndpoints</c>.</param>
public abstract class ServiceApiDocumentTests(string service, Action<IHostApplicationBuilder> addApplicationServices, Action<WebApplication> mapApplicationEndpoints)
{
    /// <summary>Paths the document must list, spelled as OpenAPI spells them (<c>{path}</c> for a catch-all).</summary>
    protected abstract IReadOnlyList<string> PublicPaths { get; }

    /// <summary>Paths the service maps that the gateway does not forward, or that OpenAPI cannot describe.</summary>
    protected virtual IReadOnlyList<string> UnlistedPaths => [];

    /// <summary>Settings beyond the common ones that this service cannot start without.</summary>
    protected virtual void Configure(ServiceHostBuilder host)
    {
    }

    [Test]
    public async Task TheDocumentIsServedWithoutATokenAsOpenApiJson()
    {
        var (response, document) = await GetDocumentAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(document.GetProperty("openapi").GetString(), Does.StartWith("3."));
            Assert.That(document.GetProperty("info").GetProperty("title").GetString(), Is.Not.Empty);
            Assert.That(document.GetProperty("info").GetProperty("version").GetString(), Is.Not.Empty);
        }
    }

    [Test]
    public async Task TheDocumentListsThePublicPathsAndNoOthers()
    {
        var (_, document) = await GetDocumentAsync();

        var paths = document.GetProperty("paths").EnumerateObject().Select(path => path.Name).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(paths, Is.SupersetOf(PublicPaths));
            Assert.That(paths.Intersect(UnlistedPaths), Is.Empty);
            Assert.That(paths, Has.All.StartWith("/api/"), "only what the gateway forwards is public");
        }
    }

    [Test]
    public async Task EveryOperationIsNamedAndSummarised()
    {
        var (_, document) = await GetDocumentAsync();

        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(operation => operation.Name is "get" or "put" or "post" or "delete")
                .Select(operation => (Name: $"{operation.Name.ToUpperInvariant()} {path.Name}", operation.Value)))
            .ToList();

        Assert.That(operations, Is.Not.Empty);
        using (Assert.EnterMultipleScope())
        {
            foreach (var (name, operation) in operations)
            {
                Assert.That(operation.TryGetProperty("operationId", out _), Is.True, $"{name} has an operationId");
                Assert.That(operation.TryGetProperty("summary", out _), Is.True, $"{name} has a summary");
            }
        }
    }

    [Test]
    public async Task TheDocumentNamesNoServerSoClientsUseTheGatewayTheyFetchedItFrom()
    {
        var (_, document) = await GetDocumentAsync();

        Assert.That(document.TryGetProperty("servers", out var servers) ? servers.GetArrayLength() : 0, Is.Zero);
    }

    private async Task<(HttpResponseMessage Response, JsonElement Document)> GetDocumentAsync()
    {
        using var host = new ServiceHostBuilder(service, addApplicationServices)
        {
            // The bus, key rotation, warm pools and the like need brokers and Docker that a unit
            // test does not have; serving a document needs none of them.
            ConfigureServices = services => services.RemoveAll<IHostedService>(),
        };
        Configure(host);
        await using var app = host.Build();
        mapApplicationEndpoints(app);
        await app.StartAsync();
        try
        {
            using var client = app.GetTestClient();
            var response = await client.GetAsync(new Uri($"/openapi/{service}.json", UriKind.Relative));
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return (response, json.RootElement.Clone());
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
