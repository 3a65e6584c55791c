using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace WebIde.IntegrationTests;

/// <summary>
/// Every path family of the public API (docs/api.md) reaches the service that owns it. No service
/// implements these calls yet, so each answers its own 404; the problem document names
/// who answered.
/// </summary>
public sealed partial class GatewayRoutingTests
{
    private static readonly object[] ContractRoutes =
    [
        new object[] { "POST", "/api/auth/register", "identity" },
        new object[] { "POST", "/api/auth/login", "identity" },
        new object[] { "GET", "/api/auth/no-such-call", "identity" },
        new object[] { "GET", "/api/workspaces", "identity" },
        new object[] { "GET", "/api/workspaces/6f1c0f1e-0000-4000-8000-000000000001", "identity" },
        new object[] { "PUT", "/api/workspaces/6f1c0f1e-0000-4000-8000-000000000001/members/alice", "identity" },
        new object[] { "GET", "/api/workspaces/6f1c0f1e-0000-4000-8000-000000000001/tree", "filesystem" },
        new object[] { "GET", "/api/workspaces/6f1c0f1e-0000-4000-8000-000000000001/files/src/app/main.py", "filesystem" },
        new object[] { "POST", "/api/workspaces/6f1c0f1e-0000-4000-8000-000000000001/directories/src/lib", "filesystem" },
        new object[] { "POST", "/api/workspaces/6f1c0f1e-0000-4000-8000-000000000001/move", "filesystem" },
        new object[] { "GET", "/api/workspaces/6f1c0f1e-0000-4000-8000-000000000001/usage", "filesystem" },
        new object[] { "GET", "/api/workspaces/6f1c0f1e-0000-4000-8000-000000000001/events", "filesystem" },
        new object[] { "POST", "/api/workspaces/6f1c0f1e-0000-4000-8000-000000000001/runs", "execution" },
        new object[] { "POST", "/api/workspaces/6f1c0f1e-0000-4000-8000-000000000001/check", "execution" },
        new object[] { "GET", "/ws/collab/6f1c0f1e-0000-4000-8000-000000000001", "collaboration" },
        new object[] { "GET", "/ws/exec/6f1c0f1e-0000-4000-8000-000000000001", "execution" },
        new object[] { "GET", "/api/no-such-thing", "gateway" },
        new object[] { "GET", "/ws/no-such-thing", "gateway" },
    ];

    [TestCaseSource(nameof(ContractRoutes))]
    public async Task EachPathReachesTheServiceThatOwnsIt(string method, string path, string service)
    {
        using var client = Platform.CreateGatewayClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (method != "GET")
        {
            request.Content = JsonContent.Create(new { });
        }

        using var response = await client.SendAsync(request);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Multiple(() =>
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem.GetProperty("service").GetString(), Is.EqualTo(service).Or.StartsWith(service + "-"), "a service, or one of its instances: " + problem);
            Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo((int)response.StatusCode));
            Assert.That(problem.GetProperty("instance").GetString(), Is.EqualTo(path.Split('?')[0]));
        });
    }

    [Test]
    public async Task ARequestKeepsOneTraceFromTheCallerThroughTheGatewayToTheService()
    {
        using var client = Platform.CreateGatewayClient();
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/workspaces/6f1c0f1e-0000-4000-8000-000000000001/tree", UriKind.Relative));
        request.Headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01");

        using var response = await client.SendAsync(request);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(problem.GetProperty("service").GetString(), Is.EqualTo("filesystem"));
        Assert.That(problem.GetProperty("traceId").GetString(), Is.EqualTo(traceId), "the service answered under another trace: the gateway did not propagate it");
    }

    [Test]
    public async Task TheWebAppShellIsServedNeverCachedAndItsHashedAssetsForever()
    {
        using var client = Platform.CreateGatewayClient();

        using var shell = await client.GetAsync(new Uri("/", UriKind.Relative));
        var html = await shell.Content.ReadAsStringAsync();
        var asset = AssetReference().Match(html);

        Assert.That(shell.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(shell.Headers.CacheControl?.NoCache, Is.True);
        Assert.That(asset.Success, Is.True, "index.html names no hashed asset under /assets/");

        using var assetResponse = await client.GetAsync(new Uri(asset.Groups["path"].Value, UriKind.Relative));
        Assert.Multiple(() =>
        {
            Assert.That(assetResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(assetResponse.Headers.CacheControl?.Public, Is.True);
            Assert.That(assetResponse.Headers.CacheControl?.MaxAge, Is.GreaterThanOrEqualTo(TimeSpan.FromDays(365)));
            Assert.That(assetResponse.Headers.CacheControl?.Extensions.Any(extension => extension.Name == "immutable"), Is.True);
        });
    }

    [Test]
    public async Task ClientSideRoutesLoadTheShell()
    {
        using var client = Platform.CreateGatewayClient();

        using var response = await client.GetAsync(new Uri("/w/6f1c0f1e-0000-4000-8000-000000000001", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("<div id=\"app\""));
    }

    [GeneratedRegex("(?:src|href)=\"(?<path>/assets/[^\"]+)\"")]
    private static partial Regex AssetReference();
}
