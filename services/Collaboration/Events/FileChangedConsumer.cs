using System.Globalization;
using System.Text;
using MassTransit;
using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Storage;
using WebIde.Contracts.Events;

namespace WebIde.Collaboration.Events;

/// <summary>
/// A file written by someone other than collaboration reaches its open editors as an edit,
/// merged by the instance that owns the document. Collaboration's own snapshots come back here
/// too; they are recognised by their version, without reading anything.
/// </summary>
public sealed class FileChangedConsumer(DocumentHub hub, DocumentStore store) : IConsumer<FileChanged>
{
    public async Task Consume(ConsumeContext<FileChanged> context)
    {
        var change = context.Message;
        if (change.EntryType != "file" || change.Version is not { } version)
        {
            return;
        }
        var key = new DocumentKey(change.WorkspaceId, change.Path);
        if (hub.TryGet(key, out var open) && open.IsServing)
        {
            await open.MergeFileAsync(version, change.UserId, context.CancellationToken);
            return;
        }
        var stored = await store.OwnerAsync(key);
        if (stored is null || version <= stored.Value.FileVersion)
        {
            return;
        }
        // The owner (if any instance has it open) merges it; otherwise this instance takes it.
        var notice = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{version} {change.UserId:D}"));
        if (await store.PublishAsync(key, 'm', "", notice) > 0)
        {
            return;
        }
        var document = await hub.OpenAsync(key);
        await document.MergeFileAsync(version, change.UserId, context.CancellationToken);
    }
}
