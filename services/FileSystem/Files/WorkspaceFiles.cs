using WebIde.FileSystem.Events;
using WebIde.FileSystem.Storage;

namespace WebIde.FileSystem.Files;

/// <summary>
/// The one way in to a workspace's files for every API of the service: the store for the
/// truth, the cache for hot reads, and after each committed change the cache brought up to
/// date and the change announced, all before the caller hears that it is done.
/// </summary>
public sealed class WorkspaceFiles(IFileStore store, FileCache cache, ChangeFeed feed)
{
    public async Task<StoredFile?> ReadAsync(Guid workspaceId, string path, CancellationToken cancellationToken)
    {
        var (cached, generation) = await cache.GetAsync(workspaceId, path);
        if (cached is not null)
        {
            return cached;
        }

        var file = await store.ReadFileAsync(workspaceId, path, cancellationToken);
        if (file is not null && generation is not null)
        {
            await cache.OfferReadAsync(workspaceId, file, generation);
        }
        return file;
    }

    public Task<IReadOnlyList<TreeEntry>> ListTreeAsync(Guid workspaceId, CancellationToken cancellationToken) =>
        store.ListTreeAsync(workspaceId, cancellationToken);

    public IAsyncEnumerable<StoredFile> ReadAllAsync(Guid workspaceId, CancellationToken cancellationToken) =>
        store.ReadAllFilesAsync(workspaceId, cancellationToken);

    /// <summary>What the workspace holds, and what the account paying for it holds with all its workspaces (null: no owner known).</summary>
    public async Task<(WorkspaceUsage Workspace, AccountUsage? Account)> GetUsageAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        var workspace = await store.GetUsageAsync(workspaceId, cancellationToken);
        var account = await store.GetPayerAsync(workspaceId, cancellationToken) is { } payer
            ? await store.GetAccountUsageAsync(payer, cancellationToken)
            : null;
        return (workspace, account);
    }

    public async Task<FileMutation> WriteAsync(FileWrite write, CancellationToken cancellationToken)
    {
        var mutation = await store.WriteFileAsync(write, cancellationToken);
        await AfterWritesAsync(write.WorkspaceId, [write], [mutation]);
        return mutation;
    }

    /// <summary>Writes of one workspace in one go (<see cref="IFileStore.WriteFilesAsync"/>): one answer each, one announcement for them all.</summary>
    public async Task<IReadOnlyList<FileMutation>> WriteFilesAsync(Guid workspaceId, IReadOnlyList<FileWrite> writes, CancellationToken cancellationToken)
    {
        var mutations = await store.WriteFilesAsync(workspaceId, writes, cancellationToken);
        await AfterWritesAsync(workspaceId, writes, mutations);
        return mutations;
    }

    /// <summary>
    /// The written files into the cache, then the workspace's changes announced once. Two
    /// writes of one path may update the cache in any order: it keeps the higher sequence.
    /// </summary>
    private async Task AfterWritesAsync(Guid workspaceId, IReadOnlyList<FileWrite> writes, IReadOnlyList<FileMutation> mutations)
    {
        var written = writes
            .Zip(mutations, (write, mutation) => mutation.Change is { } change
                ? new StoredFile(write.Path, write.Content.ToArray(), change.Version!.Value, change.At, change.Sequence)
                : null)
            .OfType<StoredFile>()
            .ToList();
        if (written.Count == 0)
        {
            return;
        }

        await Task.WhenAll(written.Select(file => cache.StoreWrittenAsync(workspaceId, file)));
        await feed.AnnounceAsync(workspaceId);
    }

    /// <summary>
    /// Removes a deleted workspace's files, versions and change log, and then its cached files:
    /// a service token passes no role check, so without the tombstones ReadFile would go on
    /// serving the files from the cache until they expire, while the tree shows none.
    /// </summary>
    public async Task DeleteWorkspaceAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        var files = (await store.ListTreeAsync(workspaceId, cancellationToken))
            .Where(entry => entry.Type == EntryType.File)
            .Select(entry => entry.Path)
            .ToList();
        await store.DeleteWorkspaceAsync(workspaceId, cancellationToken);
        // The deletion is final (the store refuses every later change), so no content can ever
        // be newer than these tombstones: the highest sequence also beats a write to one of
        // these files that landed between the listing and the deletion. (A file first created
        // in that instant, by a service, stays cached until it expires.)
        await cache.MarkStaleAsync(workspaceId, files, long.MaxValue);
    }

    public Task<FileMutation> CreateDirectoryAsync(Guid workspaceId, string path, Guid userId, CancellationToken cancellationToken) =>
        AfterAsync(workspaceId, store.CreateDirectoryAsync(workspaceId, path, userId, cancellationToken));

    public Task<FileMutation> DeleteAsync(Guid workspaceId, string path, long? expectedVersion, Guid userId, CancellationToken cancellationToken) =>
        AfterAsync(workspaceId, store.DeleteAsync(workspaceId, path, expectedVersion, userId, cancellationToken));

    public Task<FileMutation> MoveAsync(Guid workspaceId, string from, string to, bool overwrite, Guid userId, CancellationToken cancellationToken) =>
        AfterAsync(workspaceId, store.MoveAsync(workspaceId, from, to, overwrite, userId, cancellationToken));

    private async Task<FileMutation> AfterAsync(Guid workspaceId, Task<FileMutation> change)
    {
        var mutation = await change;
        if (mutation.Change is { } last)
        {
            await cache.MarkStaleAsync(workspaceId, mutation.StaleFiles, last.Sequence);
            await feed.AnnounceAsync(workspaceId);
        }
        return mutation;
    }
}
