using WebIde.AppHost.Platform;
using WebIde.Tests.Shared;

namespace WebIde.AppHost.UnitTests.RestartOnExit;

/// <summary>
/// How long a dead resource stays down before the AppHost starts it again: short after a rare
/// exit, longer while it keeps dying (so a crash loop does not spin), short again once it held.
/// </summary>
public sealed class RestartOnExitBackoffTests
{
    private ManualTime _time = null!;
    private RestartOnExitBackoff _backoff = null!;

    [SetUp]
    public void CreateBackoff()
    {
        _time = new ManualTime(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        _backoff = new RestartOnExitBackoff(_time);
    }

    [Test]
    public void TheFirstExitIsStartedAgainAfterOneSecond()
    {
        _backoff.Running();
        _time.Advance(TimeSpan.FromHours(3));

        Assert.That(_backoff.Exited(), Is.EqualTo(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public void AResourceThatKeepsDyingWaitsTwiceAsLongEachTimeUpToThirtySeconds()
    {
        var delays = new List<TimeSpan>();
        for (var exit = 0; exit < 8; exit++)
        {
            _backoff.Running();
            _time.Advance(TimeSpan.FromSeconds(2));
            var delay = _backoff.Exited();
            delays.Add(delay);
            _time.Advance(delay);
        }

        Assert.That(delays.Select(delay => delay.TotalSeconds), Is.EqualTo(new double[] { 1, 2, 4, 8, 16, 30, 30, 30 }));
    }

    [Test]
    public void AMinuteUpStartsTheBackoffOver()
    {
        DieQuickly(times: 4);

        _backoff.Running();
        _time.Advance(RestartOnExitBackoff.HealthyRun);

        Assert.That(_backoff.Exited(), Is.EqualTo(RestartOnExitBackoff.First));
    }

    [Test]
    public void UpdatesWhileRunningDoNotShortenTheRun()
    {
        DieQuickly(times: 4);

        _backoff.Running();
        for (var update = 0; update < 12; update++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            _backoff.Running();
        }

        Assert.That(_backoff.Exited(), Is.EqualTo(RestartOnExitBackoff.First), "two minutes up, health updates every 10 s");
    }

    [Test]
    public void LessThanAMinuteUpKeepsDoubling()
    {
        var last = DieQuickly(times: 3);

        _backoff.Running();
        _time.Advance(RestartOnExitBackoff.HealthyRun - TimeSpan.FromSeconds(1));

        Assert.That(_backoff.Exited(), Is.EqualTo(last * 2));
    }

    [Test]
    public void AStartThatNeverReachedRunningCountsAsAShortRun()
    {
        var last = DieQuickly(times: 2);
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.That(_backoff.Exited(), Is.EqualTo(last * 2));
    }

    private TimeSpan DieQuickly(int times)
    {
        var delay = TimeSpan.Zero;
        for (var exit = 0; exit < times; exit++)
        {
            _backoff.Running();
            _time.Advance(TimeSpan.FromSeconds(1));
            delay = _backoff.Exited();
            _time.Advance(delay);
        }
        return delay;
    }
}
