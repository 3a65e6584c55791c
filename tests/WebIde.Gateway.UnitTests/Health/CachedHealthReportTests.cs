using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WebIde.Gateway.Health;

namespace WebIde.Gateway.UnitTests.Health;

public sealed class CachedHealthReportTests
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    private FakeTimeProvider _time = null!;
    private int _rounds;
    private TaskCompletionSource<HealthReport> _pending = null!;

    // NUnit shares one fixture object between its tests.
    [SetUp]
    public void Reset()
    {
        _time = new FakeTimeProvider();
        _rounds = 0;
        _pending = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [Test]
    public async Task ManyConcurrentRequestsShareOneRound()
    {
        var health = NewCache();

        var requests = Enumerable.Range(0, 100).Select(_ => Task.Run(health.GetAsync)).ToArray();
        await Task.Delay(50);
        _pending.SetResult(Report(HealthStatus.Healthy));
        var reports = await Task.WhenAll(requests);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_rounds, Is.EqualTo(1));
            Assert.That(reports.Select(report => report.Status), Is.All.EqualTo(HealthStatus.Healthy));
        }
    }

    [Test]
    public async Task AFinishedRoundAnswersUntilItIsOld()
    {
        var health = NewCache();
        _pending.SetResult(Report(HealthStatus.Healthy));
        await health.GetAsync();

        _time.Advance(CacheFor - TimeSpan.FromMilliseconds(1));
        await health.GetAsync();
        Assert.That(_rounds, Is.EqualTo(1));

        _pending = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending.SetResult(Report(HealthStatus.Unhealthy));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var fresh = await health.GetAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_rounds, Is.EqualTo(2));
            Assert.That(fresh.Status, Is.EqualTo(HealthStatus.Unhealthy));
        }
    }

    [Test]
    public async Task ASlowRoundIsNotStartedAgainWhileItRuns()
    {
        var health = NewCache();
        var first = health.GetAsync();

        // A service that hangs holds its probe up to its timeout, longer than the cache lasts.
        _time.Advance(CacheFor * 3);
        var second = health.GetAsync();
        _pending.SetResult(Report(HealthStatus.Healthy));
        await Task.WhenAll(first, second);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_rounds, Is.EqualTo(1));
            Assert.That(second, Is.SameAs(first));
        }
    }

    private CachedHealthReport NewCache() => new(
        () =>
        {
            Interlocked.Increment(ref _rounds);
            return _pending.Task;
        },
        Options.Create(new GatewayHealthOptions { CacheFor = CacheFor }),
        _time);

    private static HealthReport Report(HealthStatus status) => new(
        new Dictionary<string, HealthReportEntry> { ["identity"] = new(status, null, TimeSpan.Zero, null, null) },
        TimeSpan.Zero);
}
