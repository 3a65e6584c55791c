using WebIde.Identity.Outbox;
using WebIde.Identity.Storage;

namespace WebIde.Identity.UnitTests.Workspaces;

/// <summary>An outbox in memory, with one lease; each message written is also journaled.</summary>
public sealed class FakeOutboxStore(Journal journal) : IOutboxStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, OutboxMessage> _messages = [];
    private long _sequence;
    private (string Holder, DateTimeOffset Until)? _lease;

    /// <summary>The events waiting, oldest first.</summary>
    public IReadOnlyList<object> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _messages.Values.Select(message => IdentityEvents.Read(message).Event)];
            }
        }
    }

    public IReadOnlyList<T> Of<T>() => Events.OfType<T>().ToList();

    public string? LeaseHolder
    {
        get
        {
            lock (_lock)
            {
                return _lease?.Holder;
            }
        }
    }

    public void Append(OutboxMessage message)
    {
        lock (_lock)
        {
            _messages.Add(++_sequence, message);
        }
        journal.Add($"outbox {message.MessageType}");
    }

    public Task<IReadOnlyList<PendingOutboxMessage>> ReadPendingAsync(int max, DateTimeOffset intentsOlderThan, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<PendingOutboxMessage> pending = [.. _messages.Take(max).Select(entry => new PendingOutboxMessage(entry.Key, entry.Value, Confirmed: true))];
            return Task.FromResult(pending);
        }
    }

    public Task<long> CountPendingAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult((long)_messages.Count);
        }
    }

    public Task DeleteAsync(long sequence, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _messages.Remove(sequence);
        }
        return Task.CompletedTask;
    }

    public Task<bool> TryLeaseAsync(string holder, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_lease is { } lease && lease.Holder != holder && lease.Until >= now)
            {
                return Task.FromResult(false);
            }
            _lease = (holder, until);
            return Task.FromResult(true);
        }
    }

    public Task ReleaseLeaseAsync(string holder, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_lease?.Holder == holder)
            {
                _lease = null;
            }
        }
        return Task.CompletedTask;
    }
}
