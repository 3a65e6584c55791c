using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Options;
using WebIde.Contracts.Events;
using WebIde.FileSystem.Storage;

namespace WebIde.FileSystem.Events;

/// <summary>
/// Drains the change log to the bus, in log order for the changes of a path
/// (<see cref="ChangeOrder"/>): the log is the outbox, written in the change's own
/// transaction, so a change that was acknowledged is published even if the process died
/// right after committing it (at least once: a crash or a failed publish between publishing
/// and marking publishes again). Also trims what is older than the retention. With several
/// instances, only the holder of the <see cref="PublisherLease"/> publishes and trims.
/// </summary>
public sealed class ChangePublisher(
    IServiceScopeFactory scopes,
    IFileStore store,
    ChangeFeed feed,
    PublisherLease lease,
    IOptions<ChangeEventsOptions> options,
    TimeProvider time,
    ILogger<ChangePublisher> logger) : BackgroundService
{
    private const int Batch = 200;
    private static readonly TimeSpan TrimEvery = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastTrim = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var woken = feed.NextAnyChange();
            try
            {
                if (!await lease.HoldAsync())
                {
                    await Task.WhenAny(woken, Task.Delay(options.Value.Poll, time, stoppingToken));
                    continue;
                }

                while (await PublishBatchAsync(stoppingToken) == Batch)
                {
                }

                if (time.GetUtcNow() - lastTrim > TrimEvery)
                {
                    var trimmed = await store.TrimChangesAsync(time.GetUtcNow() - options.Value.Retention, stoppingToken);
                    lastTrim = time.GetUtcNow();
                    logger.LogDebug("Trimmed {Count} published changes", trimmed);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Publishing file changes failed; retrying");
            }

            await Task.WhenAny(woken, Task.Delay(options.Value.Poll, time, stoppingToken));
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await lease.ReleaseAsync();
    }

    private async Task<int> PublishBatchAsync(CancellationToken cancellationToken)
    {
        var changes = await store.ReadUnpublishedChangesAsync(Batch, cancellationToken);
        if (changes.Count == 0)
        {
            return 0;
        }

        await using var scope = scopes.CreateAsyncScope();
        var bus = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        // The broker's confirmations overlap instead of one round trip per change. Marked only
        // once all are confirmed: a failure leaves the whole batch to publish again.
        await ChangeOrder.PublishAsync(changes, change => bus.Publish(ToEvent(change), EventType(change), cancellationToken));

        await store.MarkPublishedAsync(changes, cancellationToken);
        return changes.Count;
    }

    private static Type EventType(FileChange change) => change.Type switch
    {
        ChangeType.Created or ChangeType.Changed => typeof(FileChanged),
        ChangeType.Deleted => typeof(FileDeleted),
        ChangeType.Moved => typeof(FileMoved),
        _ => throw new UnreachableException(),
    };

    public static object ToEvent(FileChange change)
    {
        var entryType = change.EntryType == EntryType.Directory ? "directory" : "file";
        return change.Type switch
        {
            ChangeType.Created or ChangeType.Changed => new FileChanged(change.WorkspaceId, change.Path, entryType,
                change.Type == ChangeType.Created, change.Version, change.Size, change.UserId, change.Sequence, change.At),
            ChangeType.Deleted => new FileDeleted(change.WorkspaceId, change.Path, entryType, change.UserId, change.Sequence, change.At),
            ChangeType.Moved => new FileMoved(change.WorkspaceId, change.From!, change.Path, entryType, change.Version,
                change.UserId, change.Sequence, change.At),
            _ => throw new UnreachableException($"Unknown change type {change.Type}."),
        };
    }
}
