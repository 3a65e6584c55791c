using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Sockets;
using WebIde.Collaboration.Storage;

namespace WebIde.Collaboration.Events;

/// <summary>Ends the live state of documents whose files went away, telling their editors why.</summary>
public sealed class FileRemovals(DocumentStore store, ILogger<FileRemovals> logger)
{
    /// <param name="newPath">Where a moved document's file is now, given its old path; null for a deletion.</param>
    public async Task CloseAsync(Guid workspaceId, string path, Func<string, string>? newPath)
    {
        foreach (var key in await store.ListAsync(workspaceId))
        {
            if (!key.IsAtOrUnder(workspaceId, path))
            {
                continue;
            }
            var to = newPath?.Invoke(key.Path);
            logger.LogInformation("{Path} of workspace {WorkspaceId} was {What}; its live state is closed", key.Path, workspaceId, to is null ? "deleted" : $"moved to {to}");
            await store.DropAsync(key);
            await store.PublishAsync(key, 'c', "", ServerFrames.Closed(key.Path, to is null ? "deleted" : "moved", to));
        }
    }
}
