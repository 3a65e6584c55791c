namespace WebIde.FileSystem.Storage;

/// <summary>
/// Workspaces' files, their versions and their change log. Every mutation is atomic with its
/// change-log entries and its quota accounting, and is durable once it returns. A write that
/// adds bytes is refused (<see cref="MutationStatus.QuotaExceeded"/>) when it would take the
/// workspace over its quota or the account that pays for the workspace over the account's. Versions of
/// one path never repeat: a file recreated after a delete continues from the deleted
/// version, so a stale <c>If-Match</c> can never match a different file.
/// Paths reaching the store are already valid (<see cref="Files.WorkspacePath"/>).
/// </summary>
public interface IFileStore
{
    Task<IReadOnlyList<TreeEntry>> ListTreeAsync(Guid workspaceId, CancellationToken cancellationToken);

    /// <summary>The file at <paramref name="path"/>; null when there is none (or a directory stands there).</summary>
    Task<StoredFile?> ReadFileAsync(Guid workspaceId, string path, CancellationToken cancellationToken);

    /// <summary>Every file of the workspace in ordinal path order, read one at a time.</summary>
    IAsyncEnumerable<StoredFile> ReadAllFilesAsync(Guid workspaceId, CancellationToken cancellationToken);

    /// <summary>Creates or replaces a file, creating missing parent directories.</summary>
    Task<FileMutation> WriteFileAsync(FileWrite write, CancellationToken cancellationToken);

    /// <summary>
    /// Writes of one workspace, in their order, with one answer each: every write succeeds or
    /// is refused on its own exactly as <see cref="WriteFileAsync"/> would answer it at that
    /// point, so a later write sees what an earlier one did, and a refused one changes nothing.
    /// Where the store has transactions they are committed together.
    /// </summary>
    /// <exception cref="ArgumentException">A write is of another workspace.</exception>
    Task<IReadOnlyList<FileMutation>> WriteFilesAsync(Guid workspaceId, IReadOnlyList<FileWrite> writes, CancellationToken cancellationToken);

    /// <summary>Creates a directory and its missing parents; an existing directory is left as it is.</summary>
    Task<FileMutation> CreateDirectoryAsync(Guid workspaceId, string path, Guid userId, CancellationToken cancellationToken);

    /// <summary>Deletes a file, or a directory with everything under it. <paramref name="expectedVersion"/> applies to files.</summary>
    Task<FileMutation> DeleteAsync(Guid workspaceId, string path, long? expectedVersion, Guid userId, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a file or a whole directory. An existing target is replaced only with
    /// <paramref name="overwrite"/>, and a directory only by a directory, a file only by a file.
    /// </summary>
    Task<FileMutation> MoveAsync(Guid workspaceId, string from, string to, bool overwrite, Guid userId, CancellationToken cancellationToken);

    /// <summary>
    /// Removes everything the workspace holds (files, usage, change log, owners) and refuses every
    /// later mutation of it with <see cref="MutationStatus.NotFound"/>: a write let in just
    /// before the deletion was heard must not leave files behind for good.
    /// </summary>
    Task DeleteWorkspaceAsync(Guid workspaceId, CancellationToken cancellationToken);

    Task<WorkspaceUsage> GetUsageAsync(Guid workspaceId, CancellationToken cancellationToken);

    /// <summary>
    /// Records that <paramref name="userId"/> owns the workspace since <paramref name="since"/>;
    /// an owner already recorded keeps the earlier time. Who pays: <see cref="AccountQuota"/>.
    /// </summary>
    Task AddOwnerAsync(Guid workspaceId, Guid userId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Records that <paramref name="userId"/> no longer owns the workspace (demoted or removed).</summary>
    Task RemoveOwnerAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken);

    /// <summary>The account that pays for the workspace's bytes (<see cref="AccountQuota"/>); null when no owner is known.</summary>
    Task<Guid?> GetPayerAsync(Guid workspaceId, CancellationToken cancellationToken);

    /// <summary>What the workspaces <paramref name="accountId"/> pays for hold together (<see cref="AccountQuota"/>).</summary>
    Task<AccountUsage> GetAccountUsageAsync(Guid accountId, CancellationToken cancellationToken);

    /// <summary>At most <paramref name="limit"/> changes after <paramref name="afterSequence"/>.</summary>
    Task<ChangePage> ReadChangesAsync(Guid workspaceId, long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>The oldest changes of any workspace not yet published to the bus.</summary>
    Task<IReadOnlyList<FileChange>> ReadUnpublishedChangesAsync(int limit, CancellationToken cancellationToken);

    Task MarkPublishedAsync(IReadOnlyCollection<FileChange> changes, CancellationToken cancellationToken);

    /// <summary>Drops published changes logged before <paramref name="before"/>; returns how many.</summary>
    Task<int> TrimChangesAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
