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

    /// <summary>
    /// Endpoints that read their bodies themselves, as the document spells them
    /// (<c>PUT</c>, <c>/api/workspaces/{id}/files/{path}</c>), with the content type it gives them;
    /// requests in any other type still reach them.
    /// </summary>
    protected virtual IReadOnlyList<(string Method, string Path, string ContentType)> DescribedBodies => [];

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

    [Test]
    public async Task BodiesTheHandlersReadThemselvesAreDescribed()
    {
        var (_, document) = await GetDocumentAsync();

        using (Assert.EnterMultipleScope())
        {
            foreach (var (method, path, contentType) in DescribedBodies)
            {
                var content = document.GetProperty("paths").GetProperty(path).GetProperty(method.ToLowerInvariant()).GetProperty("requestBody").GetProperty("content");
                Assert.That(content.TryGetProperty(contentType, out _), Is.True, $"{method} {path} describes a {contentType} body");
            }
        }
    }

    [Test]
    public async Task DescribingABodyDoesNotRefuseOtherContentTypes()
    {
        // Routing answers 415 before authentication when an endpoint declares the types it
        // accepts; these take any type (a file is bytes whatever its charset) or answer bad
        // JSON with their own problem, so without a token every one must say 401, not 415.
        var answers = await WithServiceAsync(async client =>
        {
            var statuses = new Dictionary<string, HttpStatusCode>();
            foreach (var (method, path, _) in DescribedBodies)
            {
                var target = path.Replace("{id}", "0f8fad5b-d9cb-469f-a165-70867728950e", StringComparison.Ordinal).Replace("{path}", "notes.txt", StringComparison.Ordinal);
                using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(target, UriKind.Relative))
                {
                    Content = new StringContent("caf\u00e9", System.Text.Encoding.Latin1, "text/plain"),
                };
                using var response = await client.SendAsync(request);
                statuses[$"{method} {path}"] = response.StatusCode;
            }
            return statuses;
        });

        Assert.That(answers.Keys, Is.EquivalentTo(DescribedBodies.Select(body => $"{body.Method} {body.Path}")));
        Assert.That(answers.Values, Has.All.EqualTo(HttpStatusCode.Unauthorized), string.Join(", ", answers));
    }

    private Task<(HttpResponseMessage Response, JsonElement Document)> GetDocumentAsync() =>
        WithServiceAsync(async client =>
        {
            var response = await client.GetAsync(new Uri($"/openapi/{service}.json", UriKind.Relative));
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return (response, json.RootElement.Clone());
        });

    private async Task<T> WithServiceAsync<T>(Func<HttpClient, Task<T>> use)
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
            return await use(client);
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
