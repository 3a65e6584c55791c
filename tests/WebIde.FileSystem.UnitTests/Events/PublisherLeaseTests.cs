using Microsoft.Extensions.Logging.Abstractions;
using WebIde.FileSystem.Events;
using WebIde.Tests.Shared;

namespace WebIde.FileSystem.UnitTests.Events;

/// <summary>With several filesystem instances, one drains the change log to the bus, so each change is published once.</summary>
public sealed class PublisherLeaseTests
{
    [Test]
    public async Task OneInstanceHoldsTheLeaseUntilItLetsGoThenAnotherTakesIt()
    {
        await using var redis = await LocalRedis.TryStartAsync() ?? throw new IgnoreException("redis-server is not installed here.");
        var first = new PublisherLease(redis.Connection, NullLogger<PublisherLease>.Instance);
        var second = new PublisherLease(redis.Connection, NullLogger<PublisherLease>.Instance);

        Assert.That(await first.HoldAsync(), Is.True, "a free lease is taken");
        Assert.That(await second.HoldAsync(), Is.False, "a held lease is not taken");
        Assert.That(await first.HoldAsync(), Is.True, "the holder keeps it");

        await second.ReleaseAsync();
        Assert.That(await second.HoldAsync(), Is.False, "only the holder lets it go");

        await first.ReleaseAsync();
        Assert.That(await second.HoldAsync(), Is.True, "a released lease is taken at once");
        Assert.That(await redis.Connection.GetDatabase().KeyTimeToLiveAsync(PublisherLease.Key), Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(PublisherLease.Lifetime),
            "a holder that dies lets it go by itself");
    }
}
