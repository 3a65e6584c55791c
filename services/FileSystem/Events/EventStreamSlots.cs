using Microsoft.Extensions.Options;

namespace WebIde.FileSystem.Events;

/// <summary>
/// The event streams each user has open on this instance. A stream holds a request, a poll
/// loop and a wake-up subscription for hours: without a cap one account could hold thousands.
/// </summary>
public sealed class EventStreamSlots(IOptions<ChangeEventsOptions> options)
{
    private readonly Dictionary<Guid, int> _open = [];
    private readonly Lock _lock = new();

    /// <summary>A slot for one more stream of <paramref name="userId"/>, released by disposing it; null when they hold the most already.</summary>
    public IDisposable? TryOpen(Guid userId)
    {
        lock (_lock)
        {
            var open = _open.GetValueOrDefault(userId);
            if (open >= options.Value.MaxStreamsPerUser)
            {
                return null;
            }
            _open[userId] = open + 1;
            return new Slot(this, userId);
        }
    }

    private void Release(Guid userId)
    {
        lock (_lock)
        {
            if (--_open[userId] == 0)
            {
                _open.Remove(userId);
            }
        }
    }

    private sealed class Slot(EventStreamSlots slots, Guid userId) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release(userId);
            }
        }
    }
}
