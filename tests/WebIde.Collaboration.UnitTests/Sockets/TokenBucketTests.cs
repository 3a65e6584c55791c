using Microsoft.Extensions.Time.Testing;
using WebIde.ServiceDefaults.RateLimiting;

namespace WebIde.Collaboration.UnitTests.Sockets;

public sealed class TokenBucketTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    [Test]
    public void AFullBucketAllowsItsCapacityAtOnceThenRefuses()
    {
        var bucket = new TokenBucket(perSecond: 10, capacity: 5, _time);

        var taken = Takes(bucket, 20);

        Assert.That(taken, Is.EqualTo(5));
    }

    [Test]
    public void AnEmptyBucketRefillsAtTheConfiguredRate()
    {
        var bucket = new TokenBucket(perSecond: 10, capacity: 5, _time);
        Takes(bucket, 5);

        _time.Advance(TimeSpan.FromMilliseconds(99));
        var early = bucket.TryTake();
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var onTime = bucket.TryTake();
        var afterIt = bucket.TryTake();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(early, Is.False, "a tenth of a token is not a token");
            Assert.That(onTime, Is.True, "100 ms at 10 a second is one token");
            Assert.That(afterIt, Is.False);
        }
    }

    [Test]
    public void APartialRefillAllowsThatManyMessages()
    {
        var bucket = new TokenBucket(perSecond: 50, capacity: 100, _time);
        Takes(bucket, 100);

        _time.Advance(TimeSpan.FromMilliseconds(300));

        Assert.That(Takes(bucket, 100), Is.EqualTo(15));
    }

    [Test]
    public void ALongPauseRefillsNoMoreThanTheCapacity()
    {
        var bucket = new TokenBucket(perSecond: 10, capacity: 5, _time);
        Takes(bucket, 5);

        _time.Advance(TimeSpan.FromHours(1));

        Assert.That(Takes(bucket, 100), Is.EqualTo(5));
    }

    [Test]
    public void RefusedMessagesDoNotSpendTokens()
    {
        var bucket = new TokenBucket(perSecond: 10, capacity: 5, _time);
        Takes(bucket, 5);
        Takes(bucket, 1_000);

        _time.Advance(TimeSpan.FromMilliseconds(200));

        Assert.That(Takes(bucket, 100), Is.EqualTo(2));
    }

    [Test]
    public void ASlowRateNeedsItsWholePeriodForOneToken()
    {
        var bucket = new TokenBucket(perSecond: 0.5, capacity: 1, _time);
        bucket.TryTake();

        _time.Advance(TimeSpan.FromMilliseconds(1_999));
        var early = bucket.TryTake();
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var onTime = bucket.TryTake();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(early, Is.False);
            Assert.That(onTime, Is.True);
        }
    }

    [Test]
    public void ASenderThatNeverPausesGetsTheBurstThenTheSteadyRate()
    {
        var bucket = new TokenBucket(perSecond: 50, capacity: 100, _time);
        var taken = 0;

        // 10 s of a client trying every millisecond.
        for (var ms = 0; ms < 10_000; ms++)
        {
            taken += bucket.TryTake() ? 1 : 0;
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.That(taken, Is.InRange(100 + 500 - 1, 100 + 500));
    }

    [Test]
    public void ASenderWithinTheRateIsNeverRefused()
    {
        var bucket = new TokenBucket(perSecond: 50, capacity: 1, _time);

        var refused = 0;
        for (var i = 0; i < 1_000; i++)
        {
            refused += bucket.TryTake() ? 0 : 1;
            _time.Advance(TimeSpan.FromMilliseconds(20));
        }

        Assert.That(refused, Is.Zero);
    }

    [Test]
    public void ATakeLargerThanWhatIsLeftIsRefusedAndSpendsNothing()
    {
        var bucket = new TokenBucket(perSecond: 10, capacity: 100, _time);
        bucket.TryTake(60);

        var tooMuch = bucket.TryTake(50);
        var rest = bucket.TryTake(40);

        Assert.That((tooMuch, rest), Is.EqualTo((false, true)));
    }

    private static int Takes(TokenBucket bucket, int attempts) =>
        Enumerable.Range(0, attempts).Count(_ => bucket.TryTake());
}
