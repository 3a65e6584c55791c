using MassTransit;
using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Persistence;
using WebIde.Collaboration.Presence;
using WebIde.Collaboration.Storage;
using WebIde.Contracts.Events;

namespace WebIde.Collaboration.Events;

/// <summary>
/// A file written by someone other than collaboration reaches its open editors as an edit.
/// Collaboration's own snapshots come back here too; they are recognised by their version.
/// </summary>
public sealed class FileChangedConsumer(DocumentStore store, FileSync sync, InstanceIdentity instance) : IConsumer<FileChanged>
{
    private static readonly TimeSpan LeaseWait = TimeSpan.FromSeconds(10);

    public async Task Consume(ConsumeContext<FileChanged> context)
    {
        var change = context.Message;
        if (change.EntryType != "file")
        {
            return;
        }
        var key = new DocumentKey(change.WorkspaceId, change.Path);
        var stored = await store.LoadAsync(key);
        if (stored is null || change.Version <= stored.FileVersion)
        {
            return;
        }

        // The snapshot writer holds the lease from its write until it has recorded the version it
        // wrote; waiting for it keeps its own write from being mistaken for someone else's.
        var deadline = DateTime.UtcNow + LeaseWait;
        while (!await store.TryLeaseAsync(key, instance.Id, SnapshotWriter.LeaseLifetime))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the lease of {change.Path} stayed taken; the message is retried");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), context.CancellationToken);
        }
        try
        {
            await sync.MergeAsync(key, change.UserId, context.CancellationToken);
        }
        finally
        {
            await store.ReleaseLeaseAsync(key, instance.Id);
        }
    }
}
