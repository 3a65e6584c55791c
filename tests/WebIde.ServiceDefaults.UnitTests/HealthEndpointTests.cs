using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace WebIde.ServiceDefaults.UnitTests;

public sealed class HealthEndpointTests
{
    [Test]
    public async Task HealthAnswers200WithEveryEntryWhenAllChecksPass()
    {
        await using var host = await DefaultsHost.StartAsync(checks => checks
            .AddCheck("store", () => HealthCheckResult.Healthy("sqlite identity.db"), ["ready"]));

        using var response = await host.Client.GetAsync(new Uri("/health", UriKind.Relative));
        var document = await response.Content.ReadFromJsonAsync<JsonElement>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
            Assert.That(document.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
            Assert.That(document.GetProperty("entries").GetProperty("self").GetProperty("status").GetString(), Is.EqualTo("Healthy"));
            Assert.That(document.GetProperty("entries").GetProperty("store").GetProperty("description").GetString(), Is.EqualTo("sqlite identity.db"));
        }
    }

    [TestCase(HealthStatus.Degraded)]
    [TestCase(HealthStatus.Unhealthy)]
    public async Task HealthAnswers503WhenAnyCheckIsNotHealthy(HealthStatus status)
    {
        await using var host = await DefaultsHost.StartAsync(checks => checks
            .AddCheck("store", () => HealthCheckResult.Healthy(), ["ready"])
            .AddCheck("redis", () => new HealthCheckResult(status, "redis answers slowly"), ["ready"]));

        using var response = await host.Client.GetAsync(new Uri("/health", UriKind.Relative));
        var document = await response.Content.ReadFromJsonAsync<JsonElement>();
        var redis = document.GetProperty("entries").GetProperty("redis");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(document.GetProperty("status").GetString(), Is.EqualTo(status.ToString()));
            Assert.That(redis.GetProperty("status").GetString(), Is.EqualTo(status.ToString()));
            Assert.That(redis.GetProperty("description").GetString(), Is.EqualTo("redis answers slowly"));
        }
    }

    [Test]
    public async Task AliveRunsOnlyTheChecksTaggedLive()
    {
        var readinessRuns = 0;
        await using var host = await DefaultsHost.StartAsync(checks => checks
            .AddCheck("store", () =>
            {
                Interlocked.Increment(ref readinessRuns);
                return HealthCheckResult.Unhealthy("down");
            }, ["ready"]));

        using var response = await host.Client.GetAsync(new Uri("/alive", UriKind.Relative));
        var document = await response.Content.ReadFromJsonAsync<JsonElement>();
        var entries = document.GetProperty("entries").EnumerateObject().Select(entry => entry.Name).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a process whose store is down is still alive");
            Assert.That(entries, Is.EqualTo(new[] { "self" }));
            Assert.That(readinessRuns, Is.Zero);
        }
    }

    [Test]
    public async Task AHealthCheckThatThrowsIsReportedWithItsMessage()
    {
        await using var host = await DefaultsHost.StartAsync(checks => checks
            .AddCheck("store", () => throw new IOException("disk full"), ["ready"]));

        using var response = await host.Client.GetAsync(new Uri("/health", UriKind.Relative));
        var store = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entries").GetProperty("store");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(store.GetProperty("description").GetString(), Is.EqualTo("disk full"));
    }
}
