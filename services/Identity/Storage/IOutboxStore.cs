namespace WebIde.Identity.Storage;

/// <summary>
/// Identity's outbox: integration events written with the change that raised them (the
/// workspace store's calls take them), kept until the broker confirmed them. One identity
/// instance at a time publishes, the holder of the outbox's lease.
/// </summary>
public interface IOutboxStore
{
    /// <summary>
    /// The oldest messages not yet published, in order. Unconfirmed intents younger than
    /// <paramref name="intentsOlderThan"/> are left out: their request is still making its change.
    /// </summary>
    Task<IReadOnlyList<PendingOutboxMessage>> ReadPendingAsync(int max, DateTimeOffset intentsOlderThan, CancellationToken cancellationToken);

    /// <summary>How many messages wait, intents included.</summary>
    Task<long> CountPendingAsync(CancellationToken cancellationToken);

    /// <summary>Published (or an intent whose change never happened): gone from the outbox.</summary>
    Task DeleteAsync(long sequence, CancellationToken cancellationToken);

    /// <summary>
    /// Takes or extends the lease on publishing until <paramref name="until"/>: true when
    /// <paramref name="holder"/> has it now (it had it, or the last holder's ran out before <paramref name="now"/>).
    /// </summary>
    Task<bool> TryLeaseAsync(string holder, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Gives the lease up, if <paramref name="holder"/> has it, so another instance need not wait for it to run out.</summary>
    Task ReleaseLeaseAsync(string holder, CancellationToken cancellationToken);
}
