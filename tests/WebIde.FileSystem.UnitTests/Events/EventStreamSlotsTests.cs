using Microsoft.Extensions.Options;
using WebIde.FileSystem.Events;

namespace WebIde.FileSystem.UnitTests.Events;

public sealed class EventStreamSlotsTests
{
    private static EventStreamSlots Slots(int most) => new(Options.Create(new ChangeEventsOptions { MaxStreamsPerUser = most }));

    [Test]
    public void AUserGetsTheirNumberOfSlotsAndOneMoreWhenOneIsReleased()
    {
        var slots = Slots(2);
        var user = Guid.NewGuid();
        var first = slots.TryOpen(user);
        var second = slots.TryOpen(user);

        Assert.That(slots.TryOpen(user), Is.Null);
        Assert.That(slots.TryOpen(Guid.NewGuid()), Is.Not.Null, "another user has slots of their own");

        first!.Dispose();
        first.Dispose();
        Assert.That(slots.TryOpen(user), Is.Not.Null, "a slot released (twice, counted once) makes room for one");
        Assert.That(slots.TryOpen(user), Is.Null);
        GC.KeepAlive(second);
    }
}
