using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace WebIde.IntegrationTests;

public sealed class PlatformHealthTests
{
    private const string OperatorKeyHeader = "X-WebIde-Operator-Key";

    [TestCaseSource(typeof(Platform), nameof(Platform.Resources))]
    public async Task EveryResourceIsHealthy(string resource)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ready = await Platform.App.ResourceNotifications.WaitForResourceHealthyAsync(resource, deadline.Token);

        Assert.That(ready.Snapshot.HealthStatus, Is.EqualTo(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy));
    }

    [Test]
    public async Task TheRunnerImageIsBuiltBeforeExecutionStarts()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var finished = await Platform.App.ResourceNotifications.WaitForResourceAsync(
            "runner-image",
            resourceEvent => KnownResourceStates.TerminalStates.Contains(resourceEvent.Snapshot.State?.Text),
            deadline.Token);

        Assert.That(finished.Snapshot.ExitCode, Is.Zero, "deploy/runner/build.sh failed inside the AppHost");
    }

    [Test]
    public async Task GatewayHealthTellsAnyoneOnlyThatThePlatformIsUp()
    {
        using var client = Platform.CreateGatewayClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(text, Is.EqualTo("""{"status":"Healthy"}"""), "no service, dependency or error named");
    }

    [Test]
    public async Task GatewayHealthDetailsAreRefusedWithoutTheOperatorKey()
    {
        using var client = Platform.CreateGatewayClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/details");
        request.Headers.Add(OperatorKeyHeader, "not-the-installation-key");

        using var response = await client.SendAsync(request);
        using var bare = await client.GetAsync(new Uri("/health/details", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(bare.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(bare.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        });
    }

    [Test]
    public async Task GatewayHealthDetailsShowAnOperatorEveryServiceAndItsDependencies()
    {
        using var client = Platform.CreateGatewayClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/details");
        // The AppHost made it at boot, in the data folder, as for ./webide up (docs/api.md §0, "Health").
        request.Headers.Add(OperatorKeyHeader, (await File.ReadAllTextAsync(Path.Combine(Platform.DataDir, "secrets", "operator-key"))).Trim());

        using var response = await client.SendAsync(request);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), report.ToString());
        Assert.That(report.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
        var entries = report.GetProperty("entries");
        var expected = new Dictionary<string, string[]>
        {
            ["identity"] = ["store", "StackExchange.Redis", "masstransit-bus"],
            ["filesystem"] = ["store", "StackExchange.Redis", "masstransit-bus"],
            ["collaboration-1"] = ["store", "StackExchange.Redis", "masstransit-bus"],
            ["collaboration-2"] = ["store", "StackExchange.Redis", "masstransit-bus"],
            ["execution"] = ["store", "StackExchange.Redis", "masstransit-bus", "docker"],
        };
        Assert.Multiple(() =>
        {
            Assert.That(entries.GetProperty("StackExchange.Redis").GetProperty("status").GetString(), Is.EqualTo("Healthy"));
            foreach (var (service, dependencies) in expected)
            {
                var entry = entries.GetProperty(service);
                Assert.That(entry.GetProperty("status").GetString(), Is.EqualTo("Healthy"), service);
                foreach (var dependency in dependencies)
                {
                    Assert.That(entry.GetProperty("data").GetProperty(dependency).GetString(), Is.EqualTo("Healthy"), $"{service}: {dependency}");
                }
            }
        });
    }
}
