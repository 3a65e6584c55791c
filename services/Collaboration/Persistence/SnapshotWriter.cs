using Microsoft.Extensions.Options;
using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Presence;
using WebIde.Collaboration.Sockets;
using WebIde.Collaboration.Storage;

namespace WebIde.Collaboration.Persistence;

/// <summary>
/// Writes the documents this instance owns to their files from memory, lets go of those nobody
/// has joined once they are written, and takes over documents whose owner died with changes
/// unwritten (Redis lists every document whose file is behind).
/// </summary>
public sealed class SnapshotWriter(
    DocumentHub hub,
    DocumentStore store,
    InstanceLiveness liveness,
    InstanceIdentity instance,
    IOptions<CollaborationOptions> options,
    TimeProvider time,
    ILogger<SnapshotWriter> logger) : BackgroundService
{
    // Owned documents are looked at in memory, which costs nothing when idle; what a snapshot
    // may cost is bounded per document (OpenDocument.SnapshotInterval), and the documents due in
    // a tick are written in one call. A GET returns what was typed within SnapshotInterval + a
    // tick + the write, inside the 2 s docs/api.md allows.
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    // Documents left behind are found by a Redis query, which an idle platform pays forever.
    private static readonly TimeSpan OrphanSweep = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, time);
        var sweptAt = time.GetTimestamp();
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await hub.PersistAsync([.. hub.Documents], now: false, stoppingToken);
                if (time.GetElapsedTime(sweptAt) >= OrphanSweep)
                {
                    sweptAt = time.GetTimestamp();
                    await TakeOverOrphansAsync(stoppingToken);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Writing snapshots failed; trying again");
            }
        }
    }

    /// <summary>Documents whose file is behind and whose owner is gone (or is this instance, which let them go): claimed, written, let go.</summary>
    public async Task TakeOverOrphansAsync(CancellationToken cancellationToken)
    {
        var due = await store.ListDirtyAsync(time.GetUtcNow() - options.Value.SnapshotDelay, 64);
        foreach (var (key, _) in due)
        {
            if (hub.TryGet(key, out _))
            {
                continue;
            }
            var owner = await store.OwnerAsync(key);
            if (owner is null)
            {
                await store.UnscheduleAsync(key);
                continue;
            }
            if (owner.Value.Owner is { } id && id != instance.Id && await liveness.IsAliveAsync(id))
            {
                continue;
            }
            try
            {
                await hub.PersistAsync([await hub.OpenAsync(key)], now: true, cancellationToken);
            }
            catch (ProtocolException exception)
            {
                logger.LogWarning("Snapshot of {Path} postponed: {Reason}", key.Path, exception.Message);
            }
        }
    }
}
