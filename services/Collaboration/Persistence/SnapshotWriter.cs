using Grpc.Core;
using Microsoft.Extensions.Options;
using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Presence;
using WebIde.Collaboration.Sockets;
using WebIde.Collaboration.Storage;

namespace WebIde.Collaboration.Persistence;

/// <summary>
/// Writes documents' text to their files (compare-and-swap on the version the file had) soon
/// after they change, and trims their history once it is both in the file and older than the
/// replay window. Any instance may do it: a lease per document keeps it to one at a time, and
/// the work list lives in Redis, so what a dead instance left undone is picked up.
/// </summary>
public sealed class SnapshotWriter(
    DocumentStore store,
    FileSource files,
    FileSync sync,
    InstanceIdentity instance,
    IOptions<CollaborationOptions> options,
    CollaborationMetrics metrics,
    TimeProvider time,
    ILogger<SnapshotWriter> logger) : BackgroundService
{
    public static readonly TimeSpan LeaseLifetime = TimeSpan.FromSeconds(15);

    // Once a second: a document is due SnapshotDelay (0.5 s) after its first unwritten
    // operation, so a due document waits at most about a second either way, well inside the
    // 2 s in which a GET must return what was typed (docs/platform.md "Collaborative editing");
    // every tick is a Redis query per instance, which an idle platform pays forever.
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var due = await store.ListDirtyAsync(time.GetUtcNow() - options.Value.SnapshotDelay, 64);
                foreach (var (key, since) in due)
                {
                    await WriteAsync(key, since, stoppingToken);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Writing snapshots failed; trying again");
            }
        }
    }

    /// <summary>Writes one document now if no other instance is at it; returns whether it ran.</summary>
    public async Task<bool> WriteAsync(DocumentKey key, DateTimeOffset dirtySince, CancellationToken cancellationToken)
    {
        if (!await store.TryLeaseAsync(key, instance.Id, LeaseLifetime))
        {
            return false;
        }
        try
        {
            var stored = await store.LoadAsync(key);
            if (stored is null)
            {
                await store.UnscheduleAsync(key);
                return true;
            }
            var now = time.GetUtcNow();
            if (stored.Revision > stored.FileRevision)
            {
                var text = stored.TextAt(stored.Revision);
                var editor = stored.Entries[^1].UserId;
                var version = await files.WriteAsync(key, text, stored.FileVersion, editor, cancellationToken);
                if (version is null)
                {
                    // Someone else wrote the file since: merge their change, write again next round.
                    await sync.MergeAsync(key, Guid.Empty, cancellationToken);
                    return true;
                }
                metrics.SnapshotWritten(now - dirtySince);
                stored = stored with { FileVersion = version.Value, FileRevision = stored.Revision };
            }
            await TrimAsync(key, stored, now);
            return true;
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.NotFound)
        {
            // The file or the workspace is gone; the deletion's event tells the editors.
            logger.LogInformation("{Path} of workspace {WorkspaceId} is gone; its live state is dropped", key.Path, key.WorkspaceId);
            await store.DropAsync(key);
            await store.PublishAsync(key, 'c', "", ServerFrames.Closed(key.Path, "deleted", null));
            return true;
        }
        catch (ProtocolException exception)
        {
            logger.LogWarning("Snapshot of {Path} postponed: {Reason}", key.Path, exception.Message);
            return true;
        }
        finally
        {
            await store.ReleaseLeaseAsync(key, instance.Id);
        }
    }

    private async Task TrimAsync(DocumentKey key, StoredDocument stored, DateTimeOffset now)
    {
        var keepAfter = now - options.Value.History;
        var trimTo = stored.Entries
            .TakeWhile(entry => entry.Revision <= stored.FileRevision && DateTimeOffset.FromUnixTimeMilliseconds(entry.AtUnixMs) < keepAfter)
            .Select(entry => entry.Revision)
            .DefaultIfEmpty(stored.BaseRevision)
            .Last();
        var kept = stored.Entries.FirstOrDefault(entry => entry.Revision > trimTo);
        DateTimeOffset? nextVisit = kept is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(kept.AtUnixMs) + options.Value.History;
        await store.MarkPersistedAsync(key, stored.FileVersion, stored.FileRevision, now, nextVisit);
        if (trimTo > stored.BaseRevision)
        {
            await store.TrimAsync(key, stored.BaseRevision, trimTo, stored.TextAt(trimTo));
        }
    }
}
