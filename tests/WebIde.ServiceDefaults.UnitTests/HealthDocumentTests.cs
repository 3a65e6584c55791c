using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace WebIde.ServiceDefaults.UnitTests;

public sealed class HealthDocumentTests
{
    [Test]
    public void EntriesKeepStatusDescriptionDurationAndData()
    {
        var report = Report(HealthStatus.Healthy, ("store", new HealthReportEntry(
            HealthStatus.Healthy, "sqlite identity.db", TimeSpan.FromMilliseconds(12), null,
            new Dictionary<string, object> { ["files"] = 3 })));

        var document = HealthDocument.From(report);
        var store = document.Entries["store"];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(document.Status, Is.EqualTo("Healthy"));
            Assert.That(store.Status, Is.EqualTo("Healthy"));
            Assert.That(store.Description, Is.EqualTo("sqlite identity.db"));
            Assert.That(store.DurationMilliseconds, Is.EqualTo(12));
            Assert.That(store.Data, Is.EquivalentTo(new Dictionary<string, object> { ["files"] = 3 }));
        }
    }

    [Test]
    public void AnEntryWithoutDescriptionIsDescribedByItsException()
    {
        var report = Report(HealthStatus.Unhealthy, ("redis", new HealthReportEntry(
            HealthStatus.Unhealthy, null, TimeSpan.Zero, new TimeoutException("redis timed out"), null)));

        var redis = HealthDocument.From(report).Entries["redis"];

        Assert.That(redis.Description, Is.EqualTo("redis timed out"));
    }

    [Test]
    public void TheDescriptionWinsOverTheException()
    {
        var report = Report(HealthStatus.Unhealthy, ("store", new HealthReportEntry(
            HealthStatus.Unhealthy, "Sqlite store unreachable", TimeSpan.Zero, new IOException("SQLite Error 14"), null)));

        Assert.That(HealthDocument.From(report).Entries["store"].Description, Is.EqualTo("Sqlite store unreachable"));
    }

    [Test]
    public void TheJsonIsCamelCaseWithoutEmptyFieldsAndReadsBack()
    {
        var report = Report(HealthStatus.Degraded,
            ("self", new HealthReportEntry(HealthStatus.Healthy, null, TimeSpan.Zero, null, null)),
            ("redis", new HealthReportEntry(HealthStatus.Degraded, "slow", TimeSpan.Zero, null, new Dictionary<string, object> { ["latencyMs"] = 900 })));

        var json = JsonSerializer.Serialize(HealthDocument.From(report), HealthDocument.SerializerOptions);
        var root = JsonDocument.Parse(json).RootElement;
        var read = JsonSerializer.Deserialize<HealthDocument>(json, HealthDocument.SerializerOptions)!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.GetProperty("status").GetString(), Is.EqualTo("Degraded"));
            Assert.That(root.GetProperty("entries").GetProperty("self").TryGetProperty("description", out _), Is.False);
            Assert.That(root.GetProperty("entries").GetProperty("self").TryGetProperty("data", out _), Is.False);
            Assert.That(root.GetProperty("entries").GetProperty("redis").GetProperty("data").GetProperty("latencyMs").GetInt32(), Is.EqualTo(900));
            Assert.That(read.Status, Is.EqualTo("Degraded"));
            Assert.That(read.Entries["redis"].Description, Is.EqualTo("slow"));
        }
    }

    private static HealthReport Report(HealthStatus status, params (string Name, HealthReportEntry Entry)[] entries) =>
        new(entries.ToDictionary(entry => entry.Name, entry => entry.Entry), status, TimeSpan.FromMilliseconds(20));
}
