using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using WebIde.FileSystem.Files;
using WebIde.ServiceDefaults.Storage;

namespace WebIde.FileSystem.Storage.Mongo;

/// <summary>
/// Files in MongoDB (documents: <see cref="MongoFileDocuments"/>), on a standalone server, so
/// without multi-document transactions.
/// <para>
/// Serialization. Every mutation of a workspace first takes the workspace's lease: a
/// conditional <c>findOneAndUpdate</c> on its document that sets an owner and an expiry
/// (30 s) only where none is set or the last one ran out. Under the lease it reads what it
/// needs, decides (conflicts, conditions, quota) and only then writes, so a refused change
/// writes nothing. The lease is what makes change numbers gapless and quota exact; the
/// writes are fenced as well: the quota reservation is a conditional <c>$inc</c> that
/// matches only while the lease is ours and the workspace has room, a file's content is
/// replaced by an update filtered on its version (so of two writers at one version exactly one
/// can succeed even without the lease), and the unique <c>(workspaceId, sequence)</c> index
/// refuses a second change with a number already taken. Reads never wait for the lease.
/// </para>
/// <para>
/// Order of the writes, so that a crash loses no file: quota reservation, then the entries
/// (created parents, the file; for a move, the copies at the target before the sources are
/// deleted; tombstones before the entries they remember), then the change log, and last the
/// release, which publishes the new last sequence number.
/// </para>
/// <para>
/// The account quota (<see cref="AccountQuota"/>). A write that adds bytes also takes its
/// paying account's lease (a document in <c>accounts</c>, taken as a workspace's is, always
/// after the workspace's, so two mutations never wait on each other in a circle), sums the
/// counters of the workspaces that account pays for, and holds it until its own reservation
/// is made: two writes into two workspaces of one owner cannot both pass the quota. Only
/// growth takes it; what shrinks a workspace never waits for it. A change of owners is not
/// fenced by it: a write racing an ownership change may be checked against the old owner.
/// </para>
/// <para>Limits, all from having no transaction:</para>
/// <list type="bullet">
/// <item>A crash (or a lost connection) in the middle of a mutation leaves it half done.
/// A file write is then either not done or done; a directory delete may have removed part of
/// the subtree; a directory move may have copied part or all of the subtree without deleting
/// the sources yet, so some files stand at both paths, never at neither. If it happens after
/// the entries and before the change log, the change happened but is not logged: the event
/// stream and the bus never hear of it (readers of the tree do).</item>
/// <item>The workspace then stays locked until the lease runs out (30 s), unless the failing
/// call could still release it; the next mutation recounts bytes and entries from the entries
/// and takes the last sequence number from the log before it goes on, so the counters and the
/// numbering heal, the half-done change does not.</item>
/// <item>Readers may see a mutation in progress: a tree, or <see cref="ReadAllFilesAsync"/>
/// (which is not a snapshot), read during a directory move or delete may list part of it, and
/// a file being moved at both paths or, for a walk in path order, at neither. Usage may count
/// a write that has reserved its quota but not yet landed.</item>
/// <item>A mutation stalled longer than its lease may overlap the next one, which then repairs
/// from a state still changing; the fences above refuse the conflicting writes, but what the
/// stalled one wrote before stays. Lease expiry is judged by the service instances' own
/// clocks, which must agree to well within the lease.</item>
/// <item>A file is one document: content is limited to BSON's 16 MiB document size less room
/// for the rest (<see cref="MaxContentBytes"/>), whatever <see cref="FileLimits.MaxFileBytes"/> says.</item>
/// <item>Times keep milliseconds. A workspace's change times never go backwards (a clock
/// stepping back is held at the last change's time), so the outbox, ordered by time, hands out
/// each workspace's changes in sequence order.</item>
/// </list>
/// Paths sort in UTF-8 byte order (the server's binary string comparison), as in SQLite.
/// </summary>
public sealed class MongoFileStore(IMongoDatabase database, IOptions<FileLimits> limits, TimeProvider time, StoredContent content) : IFileStore, IInitializableStore
{
    /// <summary>How long a mutation may hold its workspace before the next may take it over and repair it.</summary>
    internal static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(30);

    /// <summary>BSON's 16 MiB document limit, less room for a file document's other fields (a path is at most 1 KiB).</summary>
    internal const int MaxContentBytes = 16 * 1024 * 1024 - 16 * 1024;

    // A directory move copies at most this many entries, or about this many bytes, per round trip.
    private const int CopyBatchEntries = 256;
    private const long CopyBatchBytes = 8L * 1024 * 1024;

    // Files are read a few at a time: each may be megabytes.
    private const int ReadBatchFiles = 16;

    // Waiting for a busy workspace: polls back off to this, and give up after the lease could
    // have run out twice (its holder is then alive but stuck, or the clocks disagree).
    private static readonly TimeSpan MaxPollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxWait = 2 * LeaseTime;

    private static readonly InsertManyOptions InOrder = new() { IsOrdered = true };

    private readonly IMongoCollection<BsonDocument> _entries = database.GetCollection<BsonDocument>(MongoFileDocuments.EntriesCollection);
    private readonly IMongoCollection<BsonDocument> _tombstones = database.GetCollection<BsonDocument>(MongoFileDocuments.TombstonesCollection);
    private readonly IMongoCollection<BsonDocument> _changes = database.GetCollection<BsonDocument>(MongoFileDocuments.ChangesCollection);
    private readonly IMongoCollection<BsonDocument> _workspaces = database.GetCollection<BsonDocument>(MongoFileDocuments.WorkspacesCollection);
    private readonly IMongoCollection<BsonDocument> _owners = database.GetCollection<BsonDocument>(MongoFileDocuments.OwnersCollection);
    private readonly IMongoCollection<BsonDocument> _accounts = database.GetCollection<BsonDocument>(MongoFileDocuments.AccountsCollection);
    private readonly MongoFileIndexes _indexes = new(database);

    private FileLimits Limits => limits.Value;

    public Task InitializeAsync(CancellationToken cancellationToken) => _indexes.EnsureCreatedAsync(cancellationToken);

    // ---- reads

    public async Task<IReadOnlyList<TreeEntry>> ListTreeAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        var documents = await _entries.Find(MongoFileQueries.EntriesOf(workspaceId))
            .Project(MongoFileQueries.WithoutContent)
            .Sort(MongoFileQueries.PathOrder)
            .ToListAsync(cancellationToken);
        return documents.Select(MongoFileDocuments.TreeEntryFromDocument).ToList();
    }

    public async Task<StoredFile?> ReadFileAsync(Guid workspaceId, string path, CancellationToken cancellationToken)
    {
        var document = await _entries.Find(MongoFileQueries.FileAt(workspaceId, path)).FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : MongoFileDocuments.StoredFileFromDocument(document, content);
    }

    public async IAsyncEnumerable<StoredFile> ReadAllFilesAsync(Guid workspaceId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var cursor = await _entries.Find(MongoFileQueries.FilesOf(workspaceId), new FindOptions { BatchSize = ReadBatchFiles })
            .Sort(MongoFileQueries.PathOrder)
            .ToCursorAsync(cancellationToken);
        while (await cursor.MoveNextAsync(cancellationToken))
        {
            foreach (var document in cursor.Current)
            {
                yield return MongoFileDocuments.StoredFileFromDocument(document, content);
            }
        }
    }

    public async Task<WorkspaceUsage> GetUsageAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        var document = await _workspaces.Find(MongoFileQueries.Workspace(workspaceId)).FirstOrDefaultAsync(cancellationToken);
        return MongoFileDocuments.UsageFromDocument(document);
    }

    public async Task<ChangePage> ReadChangesAsync(Guid workspaceId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);

        // The workspace first: a change logged after this read only raises what the page says is latest.
        var workspace = await _workspaces.Find(MongoFileQueries.Workspace(workspaceId)).FirstOrDefaultAsync(cancellationToken);
        var documents = await _changes.Find(MongoFileQueries.ChangesAfter(workspaceId, afterSequence))
            .Sort(MongoFileQueries.SequenceOrder)
            .Limit(limit)
            .ToListAsync(cancellationToken);
        var changes = documents.Select(MongoFileDocuments.ChangeFromDocument).ToList();

        // A change is logged before the release that publishes its number.
        var latest = Math.Max(workspace?.GetValue(MongoFileDocuments.LastSequenceField, 0L).ToInt64() ?? 0, changes.Count > 0 ? changes[^1].Sequence : 0);
        // A hole anywhere in the page, not only before it: a trim may drop 3 and leave an unpublished 2.
        var lost = afterSequence < latest
            && (changes.Count == 0 || changes.Where((change, index) => change.Sequence != afterSequence + 1 + index).Any());
        return new ChangePage(lost ? [] : changes, lost, latest);
    }

    public async Task<IReadOnlyList<FileChange>> ReadUnpublishedChangesAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);

        var documents = await _changes.Find(MongoFileQueries.Unpublished)
            .Sort(MongoFileQueries.OutboxOrder)
            .Limit(limit)
            .ToListAsync(cancellationToken);
        return documents.Select(MongoFileDocuments.ChangeFromDocument).ToList();
    }

    public async Task MarkPublishedAsync(IReadOnlyCollection<FileChange> changes, CancellationToken cancellationToken)
    {
        var updates = changes
            .GroupBy(change => change.WorkspaceId)
            .Select(workspace => new UpdateManyModel<BsonDocument>(
                MongoFileQueries.Numbered(workspace.Key, workspace.Select(change => change.Sequence)),
                MongoFileQueries.Publish))
            .ToList();
        if (updates.Count > 0)
        {
            await _changes.BulkWriteAsync(updates, new BulkWriteOptions { IsOrdered = false }, cancellationToken);
        }
    }

    public async Task<int> TrimChangesAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var deleted = await _changes.DeleteManyAsync(MongoFileQueries.PublishedBefore(before), cancellationToken);
        return checked((int)deleted.DeletedCount);
    }

    // ---- mutations

    public async Task<FileMutation> WriteFileAsync(FileWrite write, CancellationToken cancellationToken)
    {
        var size = write.Content.Length;
        if (size > Limits.MaxFileBytes)
        {
            return FileMutation.Refused(MutationStatus.QuotaExceeded, $"The file is {size} bytes; the limit is {Limits.MaxFileBytes}.");
        }
        if (size > MaxContentBytes)
        {
            return FileMutation.Refused(MutationStatus.QuotaExceeded, $"The file is {size} bytes; this store keeps at most {MaxContentBytes} in one file.");
        }

        // Sealed before the lease is taken, so the workspace is not held while it is.
        var storedContent = content.Seal(write.Content.Span);
        return await MutateAsync(write.WorkspaceId, async session =>
        {
            var found = await session.FindAsync([.. WorkspacePath.Ancestors(write.Path), write.Path]);
            var existing = found.GetValueOrDefault(write.Path);
            if (existing is { Type: EntryType.Directory })
            {
                return FileMutation.Refused(MutationStatus.Conflict, $"'{write.Path}' is a directory.");
            }
            if (MissingAncestors(write.Path, found) is not { } missing)
            {
                return FileMutation.Refused(MutationStatus.Conflict, $"A parent of '{write.Path}' is a file.");
            }
            if (!write.Condition.IsMetBy(existing?.Version))
            {
                return FileMutation.Refused(MutationStatus.PreconditionFailed, existing is null
                    ? $"'{write.Path}' does not exist."
                    : $"'{write.Path}' is at version {existing.Version}.");
            }

            var addedBytes = size - (existing?.Size ?? 0);
            var addedEntries = missing.Count + (existing is null ? 1 : 0);
            if (QuotaProblem(session.Lease, addedBytes, addedEntries) is { } problem)
            {
                return FileMutation.Refused(MutationStatus.QuotaExceeded, problem);
            }
            if (addedBytes > 0 && await session.AccountProblemAsync(addedBytes) is { } accountProblem)
            {
                return FileMutation.Refused(MutationStatus.QuotaExceeded, accountProblem);
            }

            var version = existing?.Version + 1 ?? await session.TombstoneVersionAsync(write.Path) + 1;
            await session.ReserveAsync(addedBytes, addedEntries);
            // Reserved: the next check of the account counts it, so the account is free again.
            await session.ReleaseAccountAsync();
            await session.CreateDirectoriesAsync(missing, write.UserId);
            var sequence = session.NextSequence();
            if (existing is null)
            {
                await session.InsertFileAsync(write.Path, storedContent, size, version, sequence);
            }
            else
            {
                await session.RewriteFileAsync(write.Path, existing.Version!.Value, storedContent, size, version, sequence);
            }
            session.Log(sequence, existing is null ? ChangeType.Created : ChangeType.Changed, EntryType.File, write.Path, null, version, size, write.UserId);
            return session.Done([write.Path]);
        }, cancellationToken);
    }

    /// <summary>
    /// Each write on its own, one after the other, each under its own lease: without
    /// transactions, one lease for them all would save round trips but not make them atomic.
    /// </summary>
    public async Task<IReadOnlyList<FileMutation>> WriteFilesAsync(Guid workspaceId, IReadOnlyList<FileWrite> writes, CancellationToken cancellationToken)
    {
        FileWrite.ThrowIfNotAllOf(workspaceId, writes);

        var mutations = new List<FileMutation>(writes.Count);
        foreach (var write in writes)
        {
            mutations.Add(await WriteFileAsync(write, cancellationToken));
        }
        return mutations;
    }

    public Task<FileMutation> CreateDirectoryAsync(Guid workspaceId, string path, Guid userId, CancellationToken cancellationToken) =>
        MutateAsync(workspaceId, async session =>
        {
            var found = await session.FindAsync([.. WorkspacePath.Ancestors(path), path]);
            if (found.GetValueOrDefault(path) is { } existing)
            {
                return existing.Type == EntryType.Directory
                    ? FileMutation.Unchanged
                    : FileMutation.Refused(MutationStatus.Conflict, $"'{path}' is a file.");
            }
            if (MissingAncestors(path, found) is not { } missing)
            {
                return FileMutation.Refused(MutationStatus.Conflict, $"A parent of '{path}' is a file.");
            }
            if (QuotaProblem(session.Lease, 0, missing.Count + 1) is { } problem)
            {
                return FileMutation.Refused(MutationStatus.QuotaExceeded, problem);
            }

            await session.ReserveAsync(0, missing.Count + 1);
            await session.CreateDirectoriesAsync([.. missing, path], userId);
            return session.Done([]);
        }, cancellationToken);

    public Task<FileMutation> DeleteAsync(Guid workspaceId, string path, long? expectedVersion, Guid userId, CancellationToken cancellationToken) =>
        MutateAsync(workspaceId, async session =>
        {
            var existing = (await session.FindAsync([path])).GetValueOrDefault(path);
            if (existing is null)
            {
                return FileMutation.Refused(MutationStatus.NotFound, $"'{path}' does not exist.");
            }
            if (expectedVersion is { } expected && existing.Version != expected)
            {
                return FileMutation.Refused(MutationStatus.PreconditionFailed, existing.Type == EntryType.Directory
                    ? $"'{path}' is a directory; directories have no version."
                    : $"'{path}' is at version {existing.Version}.");
            }

            var removed = await session.ReadSubtreeAsync(path);
            await session.ReserveAsync(-removed.Sum(entry => entry.Size ?? 0), -removed.Count);
            await session.RemoveAsync(path, removed);
            session.Log(session.NextSequence(), ChangeType.Deleted, existing.Type, path, null, null, null, userId);
            return session.Done(Files(removed));
        }, cancellationToken);

    public async Task<FileMutation> MoveAsync(Guid workspaceId, string from, string to, bool overwrite, Guid userId, CancellationToken cancellationToken)
    {
        if (from == to)
        {
            return FileMutation.Refused(MutationStatus.Invalid, "'from' and 'to' are the same path.");
        }
        if (WorkspacePath.IsInside(to, from))
        {
            return FileMutation.Refused(MutationStatus.Invalid, $"'{from}' cannot move inside itself.");
        }

        return await MutateAsync(workspaceId, async session =>
        {
            var found = await session.FindAsync([from, .. WorkspacePath.Ancestors(to), to]);
            if (found.GetValueOrDefault(from) is not { } source)
            {
                return FileMutation.Refused(MutationStatus.NotFound, $"'{from}' does not exist.");
            }
            if (MissingAncestors(to, found) is not { } missing)
            {
                return FileMutation.Refused(MutationStatus.Conflict, $"A parent of '{to}' is a file.");
            }
            var target = found.GetValueOrDefault(to);
            if (target is not null && !overwrite)
            {
                return FileMutation.Refused(MutationStatus.Conflict, $"'{to}' exists; set overwrite to replace it.");
            }
            if (target is not null && WorkspacePath.IsInside(from, to))
            {
                return FileMutation.Refused(MutationStatus.Conflict, $"'{to}' holds '{from}'; it cannot be replaced by something inside it.");
            }
            if (target is not null && target.Type != source.Type)
            {
                return FileMutation.Refused(MutationStatus.Conflict, target.Type == EntryType.Directory
                    ? $"'{to}' is a directory; a file cannot replace it."
                    : $"'{to}' is a file; a directory cannot replace it.");
            }

            IReadOnlyList<StoredEntry> replaced = target is null ? [] : await session.ReadSubtreeAsync(to);
            var addedBytes = -replaced.Sum(entry => entry.Size ?? 0);
            var addedEntries = missing.Count - replaced.Count;
            if (QuotaProblem(session.Lease, addedBytes, addedEntries) is { } problem)
            {
                return FileMutation.Refused(MutationStatus.QuotaExceeded, problem);
            }

            await session.ReserveAsync(addedBytes, addedEntries);
            await session.CreateDirectoriesAsync(missing, userId);
            if (target is not null)
            {
                await session.RemoveAsync(to, replaced);
            }
            var sequence = session.NextSequence();
            // Copies first, sources after: a crash between the two leaves a file twice, never nowhere.
            var moved = await session.CopySubtreeAsync(from, to, sequence);
            await session.RemoveAsync(from, moved.Select(entry => entry.Source).ToList());
            var movedVersion = source.Type == EntryType.Directory ? null : moved.Single().Version;
            session.Log(sequence, ChangeType.Moved, source.Type, to, from, movedVersion, source.Size, userId);

            var stale = moved
                .Where(entry => entry.Source.Type == EntryType.File)
                .SelectMany(entry => new[] { entry.Source.Path, entry.To })
                .Concat(Files(replaced))
                .Distinct(StringComparer.Ordinal)
                .ToList();
            return session.Done(stale);
        }, cancellationToken);
    }

    public async Task DeleteWorkspaceAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        // Taken so no mutation runs meanwhile; marking the workspace deleted ends it and
        // refuses every later one.
        await AcquireAsync(workspaceId, cancellationToken);
        // From here on to the end whatever the caller's token says. Interrupted, the lease stays
        // until it runs out, and deleting again finishes the job.
        await _entries.DeleteManyAsync(MongoFileQueries.EntriesOf(workspaceId), CancellationToken.None);
        await _tombstones.DeleteManyAsync(MongoFileQueries.TombstonesOf(workspaceId), CancellationToken.None);
        await _changes.DeleteManyAsync(MongoFileQueries.ChangesOf(workspaceId), CancellationToken.None);
        await _owners.DeleteManyAsync(MongoFileQueries.OwnersOf([workspaceId]), CancellationToken.None);
        await _workspaces.UpdateOneAsync(MongoFileQueries.Workspace(workspaceId), MongoFileQueries.MarkDeleted(), cancellationToken: CancellationToken.None);
    }

    // ---- owners and accounts

    public async Task AddOwnerAsync(Guid workspaceId, Guid userId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await _indexes.EnsureCreatedAsync(cancellationToken);
        // A deleted workspace takes no owner (its counters are zero, so one recorded in a race with the deletion costs nothing).
        var workspace = await _workspaces.Find(MongoFileQueries.Workspace(workspaceId)).FirstOrDefaultAsync(cancellationToken);
        if (workspace?.GetValue(MongoFileDocuments.DeletedField, false).ToBoolean() == true)
        {
            return;
        }

        await _owners.UpdateOneAsync(
            MongoFileQueries.Owner(workspaceId, userId),
            MongoFileQueries.RecordOwner(workspaceId, userId, since),
            new UpdateOptions { IsUpsert = true },
            cancellationToken);
    }

    public Task RemoveOwnerAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken) =>
        _owners.DeleteOneAsync(MongoFileQueries.Owner(workspaceId, userId), cancellationToken);

    public async Task<Guid?> GetPayerAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        var owners = await _owners.Find(MongoFileQueries.OwnersOf([workspaceId])).ToListAsync(cancellationToken);
        return AccountQuota.PayerOf(owners.Select(MongoFileDocuments.OwnerFromDocument));
    }

    public async Task<AccountUsage> GetAccountUsageAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var paid = await PaidWorkspacesAsync(accountId, cancellationToken);
        return new AccountUsage(paid.Values.Sum(), paid.Count);
    }

    /// <summary>The bytes of each workspace <paramref name="accountId"/> pays for: the workspaces it owns, all their owners, the rule, their counters.</summary>
    private async Task<Dictionary<Guid, long>> PaidWorkspacesAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var owned = await _owners.Find(MongoFileQueries.OwnedBy(accountId)).ToListAsync(cancellationToken);
        if (owned.Count == 0)
        {
            return [];
        }

        var workspaceIds = owned.Select(document => MongoFileDocuments.OwnerFromDocument(document).WorkspaceId).ToList();
        var owners = await _owners.Find(MongoFileQueries.OwnersOf(workspaceIds)).ToListAsync(cancellationToken);
        var paid = AccountQuota.PaidBy(accountId, owners.Select(MongoFileDocuments.OwnerFromDocument));
        if (paid.Count == 0)
        {
            return [];
        }

        var counters = await _workspaces.Find(MongoFileQueries.Workspaces(paid))
            .Project(MongoFileQueries.BytesOnly)
            .ToListAsync(cancellationToken);
        var bytes = counters.ToDictionary(document => MongoValues.ReadId(document["_id"]), document => document.GetValue(MongoFileDocuments.BytesField, 0L).ToInt64());
        return paid.ToDictionary(workspaceId => workspaceId, workspaceId => bytes.GetValueOrDefault(workspaceId));
    }

    /// <summary>Takes the account's lease, waiting while another write of the account holds it; returns the lease's owner.</summary>
    private async Task<string> AcquireAccountAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var owner = Guid.NewGuid().ToString("N");
        await TakeWhenFreeAsync(
            now => _accounts.FindOneAndUpdateAsync(
                MongoFileQueries.FreeAccount(accountId, now),
                MongoFileQueries.TakeAccountLease(owner, now + LeaseTime),
                new FindOneAndUpdateOptions<BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.Before },
                cancellationToken),
            $"Account {accountId}",
            cancellationToken);
        return owner;
    }

    private async Task ReleaseAccountAsync(Guid accountId, string owner)
    {
        try
        {
            await _accounts.UpdateOneAsync(MongoFileQueries.AccountHeldBy(accountId, owner), MongoFileQueries.ReleaseAccount(), cancellationToken: CancellationToken.None);
        }
        catch (Exception exception) when (exception is MongoException or TimeoutException)
        {
            // Unreleased, the lease runs out and the account's next write takes it then.
        }
    }

    // ---- the lease

    /// <summary>
    /// Runs <paramref name="change"/> under the workspace's lease, then logs what it did and
    /// releases. A refusal (or a failure before the first write) releases the workspace as it
    /// was; a failure after it flags the workspace for a recount.
    /// </summary>
    private async Task<FileMutation> MutateAsync(Guid workspaceId, Func<Session, Task<FileMutation>> change, CancellationToken cancellationToken)
    {
        await _indexes.EnsureCreatedAsync(cancellationToken);
        var lease = await AcquireAsync(workspaceId, cancellationToken);
        if (lease.Deleted)
        {
            await ReleaseAsync(lease, lease.LastSequence, lease.LastChangeAt);
            return FileMutation.Refused(MutationStatus.NotFound, "The workspace was deleted.");
        }
        var now = MongoValues.Truncate(Now());
        if (lease.LastChangeAt is { } last && last > now)
        {
            now = last;
        }

        var session = new Session(this, lease, now, cancellationToken);
        FileMutation mutation;
        try
        {
            mutation = await change(session);
            if (session.Changes.Count > 0)
            {
                await session.LogChangesAsync();
            }
        }
        catch
        {
            await session.ReleaseAccountAsync();
            await AbandonAsync(lease, session.HasWritten);
            throw;
        }

        // A refusal after the account check leaves its lease here.
        await session.ReleaseAccountAsync();

        await ReleaseAsync(lease, session.LastSequence, session.Changes.Count > 0 ? now : lease.LastChangeAt);
        return mutation;
    }

    private async Task<WorkspaceLease> AcquireAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        var owner = Guid.NewGuid().ToString("N");
        var before = await TakeWhenFreeAsync(
            now => _workspaces.FindOneAndUpdateAsync(
                MongoFileQueries.FreeWorkspace(workspaceId, now),
                MongoFileQueries.TakeLease(owner, now + LeaseTime),
                new FindOneAndUpdateOptions<BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.Before },
                cancellationToken),
            $"Workspace {workspaceId}",
            cancellationToken);
        var lease = MongoFileDocuments.LeaseFromDocument(workspaceId, owner, before);
        return MongoFileDocuments.WasLeftMidChange(before) ? await RepairAsync(lease, cancellationToken) : lease;
    }

    /// <summary>
    /// Takes a lease with <paramref name="take"/> (an upserting <c>findOneAndUpdate</c> on a free
    /// document, answering the document as it was), polling with back-off while another holds it.
    /// </summary>
    private async Task<BsonDocument?> TakeWhenFreeAsync(Func<DateTimeOffset, Task<BsonDocument>> take, string what, CancellationToken cancellationToken)
    {
        var waiting = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(2);
        while (true)
        {
            try
            {
                return await take(Now());
            }
            catch (MongoException exception) when (DuplicateKey.Is(exception))
            {
                // The document exists and its lease is someone else's: the upsert found no match and collided.
            }

            if (waiting.Elapsed > MaxWait)
            {
                throw new TimeoutException($"{what} stayed locked by another change for {MaxWait.TotalSeconds:0} s.");
            }
            await Task.Delay(pause, cancellationToken);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPollInterval.Ticks));
        }
    }

    /// <summary>Counts bytes and entries again from the entries, and the numbering from the log.</summary>
    private async Task<WorkspaceLease> RepairAsync(WorkspaceLease lease, CancellationToken cancellationToken)
    {
        using var recount = await _entries.AggregateAsync(
            new BsonDocumentStagePipelineDefinition<BsonDocument, BsonDocument>(MongoFileQueries.Recount(lease.WorkspaceId)),
            cancellationToken: cancellationToken);
        var usage = await recount.FirstOrDefaultAsync(cancellationToken);
        var newest = await _changes.Find(MongoFileQueries.ChangesOf(lease.WorkspaceId))
            .Sort(MongoFileQueries.NewestFirst)
            .Limit(1)
            .FirstOrDefaultAsync(cancellationToken);

        var repaired = lease with
        {
            Bytes = usage?[MongoFileDocuments.BytesField].ToInt64() ?? 0,
            Entries = usage?[MongoFileDocuments.EntriesField].ToInt64() ?? 0,
        };
        if (newest is not null)
        {
            // Logged by the change that never got to release: its number is taken.
            var change = MongoFileDocuments.ChangeFromDocument(newest);
            repaired = repaired with
            {
                LastSequence = Math.Max(lease.LastSequence, change.Sequence),
                LastChangeAt = Latest(lease.LastChangeAt, change.At),
            };
        }

        var result = await _workspaces.UpdateOneAsync(
            MongoFileQueries.HeldBy(lease.WorkspaceId, lease.Owner),
            MongoFileQueries.Repaired(repaired.LastSequence, repaired.Bytes, repaired.Entries, repaired.LastChangeAt),
            cancellationToken: cancellationToken);
        return result.MatchedCount == 1 ? repaired : throw LeaseLost(lease);
    }

    private async Task ReleaseAsync(WorkspaceLease lease, long lastSequence, DateTimeOffset? lastChangeAt)
    {
        try
        {
            await _workspaces.UpdateOneAsync(
                MongoFileQueries.HeldBy(lease.WorkspaceId, lease.Owner),
                MongoFileQueries.Release(lastSequence, lastChangeAt),
                cancellationToken: CancellationToken.None);
        }
        catch (Exception exception) when (exception is MongoException or TimeoutException)
        {
            // The change is done and logged. Unreleased, the lease runs out and the next change
            // takes the numbering from the log.
        }
    }

    private async Task AbandonAsync(WorkspaceLease lease, bool wroteSomething)
    {
        try
        {
            await _workspaces.UpdateOneAsync(
                MongoFileQueries.HeldBy(lease.WorkspaceId, lease.Owner),
                wroteSomething ? MongoFileQueries.ReleaseForRepair() : MongoFileQueries.Release(lease.LastSequence, lease.LastChangeAt),
                cancellationToken: CancellationToken.None);
        }
        catch (Exception exception) when (exception is MongoException or TimeoutException)
        {
            // Unreleased, the lease runs out and the next change repairs the workspace anyway.
        }
    }

    private string? QuotaProblem(WorkspaceLease lease, long addedBytes, long addedEntries)
    {
        var bytes = lease.Bytes + addedBytes;
        var entries = lease.Entries + addedEntries;
        return bytes > Limits.MaxWorkspaceBytes ? $"The workspace would hold {bytes} bytes; its quota is {Limits.MaxWorkspaceBytes}."
            : entries > Limits.MaxWorkspaceEntries ? $"The workspace would hold {entries} files and directories; its quota is {Limits.MaxWorkspaceEntries}."
            : null;
    }

    /// <summary>The folders above <paramref name="path"/> that do not exist, outermost first; null when one of them is a file.</summary>
    private static List<string>? MissingAncestors(string path, IReadOnlyDictionary<string, StoredEntry> found)
    {
        var missing = new List<string>();
        foreach (var ancestor in WorkspacePath.Ancestors(path))
        {
            if (found.GetValueOrDefault(ancestor) is not { } entry)
            {
                missing.Add(ancestor);
            }
            else if (entry.Type == EntryType.File)
            {
                return null;
            }
        }
        return missing;
    }

    private static List<string> Files(IEnumerable<StoredEntry> entries) =>
        entries.Where(entry => entry.Type == EntryType.File).Select(entry => entry.Path).ToList();

    private static DateTimeOffset? Latest(DateTimeOffset? first, DateTimeOffset second) =>
        first is { } value && value > second ? value : second;

    private DateTimeOffset Now() => time.GetUtcNow();

    private static InvalidOperationException LeaseLost(WorkspaceLease lease) =>
        new($"The change to workspace {lease.WorkspaceId} lost its lease: it ran longer than {LeaseTime.TotalSeconds:0} s and another change took over.");

    private sealed record MovedEntry(StoredEntry Source, string To, long? Version);

    /// <summary>One mutation under its lease: the reads it decides on, the writes in their order, the changes it numbers.</summary>
    private sealed class Session(MongoFileStore store, WorkspaceLease lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        private long _sequence = lease.LastSequence;

        public WorkspaceLease Lease => lease;

        public List<FileChange> Changes { get; } = [];

        public long LastSequence => _sequence;

        /// <summary>Whether a write may have reached the server: from then on a failure leaves the workspace to repair.</summary>
        public bool HasWritten { get; private set; }

        // Once writing, a mutation runs to its end whatever its caller's token says.
        private CancellationToken Token => HasWritten ? CancellationToken.None : cancellationToken;

        private Guid WorkspaceId => lease.WorkspaceId;

        public long NextSequence() => ++_sequence;

        private (Guid Account, string Owner)? _accountLease;

        /// <summary>
        /// Why adding <paramref name="addedBytes"/> would take the workspace's paying account over
        /// its quota; null when it fits, and then the account's lease stays held until
        /// <see cref="ReleaseAccountAsync"/>, so no other write of the account passes meanwhile.
        /// </summary>
        public async Task<string?> AccountProblemAsync(long addedBytes)
        {
            if (await store.GetPayerAsync(WorkspaceId, Token) is not { } payer)
            {
                return null;
            }

            _accountLease = (payer, await store.AcquireAccountAsync(payer, Token));
            // This workspace's counter among them is ours and current: nobody changes it while we hold its lease.
            var paid = await store.PaidWorkspacesAsync(payer, Token);
            if (!paid.ContainsKey(WorkspaceId))
            {
                // Its owners changed since they were read: count it all the same.
                paid[WorkspaceId] = lease.Bytes;
            }
            return AccountQuota.Problem(paid.Values.Sum() + addedBytes, store.Limits.MaxAccountBytes);
        }

        public async Task ReleaseAccountAsync()
        {
            if (_accountLease is { } held)
            {
                _accountLease = null;
                await store.ReleaseAccountAsync(held.Account, held.Owner);
            }
        }

        public void Log(long sequence, ChangeType type, EntryType entryType, string path, string? from, long? version, long? size, Guid userId) =>
            Changes.Add(new FileChange(WorkspaceId, sequence, type, entryType, path, from, version, size, userId, now));

        public FileMutation Done(IReadOnlyList<string> staleFiles) => new(MutationStatus.Done, Changes, staleFiles);

        public async Task<Dictionary<string, StoredEntry>> FindAsync(IReadOnlyCollection<string> paths)
        {
            var documents = await store._entries.Find(MongoFileQueries.At(WorkspaceId, paths))
                .Project(MongoFileQueries.WithoutContent)
                .ToListAsync(Token);
            return documents.Select(MongoFileDocuments.EntryFromDocument).ToDictionary(entry => entry.Path, StringComparer.Ordinal);
        }

        public async Task<List<StoredEntry>> ReadSubtreeAsync(string path)
        {
            var documents = await store._entries.Find(MongoFileQueries.Subtree(WorkspaceId, path))
                .Project(MongoFileQueries.WithoutContent)
                .Sort(MongoFileQueries.PathOrder)
                .ToListAsync(Token);
            return documents.Select(MongoFileDocuments.EntryFromDocument).ToList();
        }

        /// <summary>The last version a file at <paramref name="path"/> had before it went; 0 if none ever stood there.</summary>
        public async Task<long> TombstoneVersionAsync(string path) =>
            (await TombstoneVersionsAsync([path])).GetValueOrDefault(path);

        public async Task ReserveAsync(long addedBytes, long addedEntries)
        {
            if (addedBytes == 0 && addedEntries == 0)
            {
                return;
            }

            HasWritten = true;
            var reserved = await store._workspaces.UpdateOneAsync(
                MongoFileQueries.HeldWithRoomFor(WorkspaceId, lease.Owner, addedBytes, addedEntries, store.Limits),
                MongoFileQueries.Reserve(addedBytes, addedEntries),
                cancellationToken: Token);
            if (reserved.MatchedCount == 0)
            {
                // The quota was checked against counters nobody else may change while we hold the lease.
                throw LeaseLost(lease);
            }
        }

        public async Task CreateDirectoriesAsync(IReadOnlyList<string> paths, Guid userId)
        {
            if (paths.Count == 0)
            {
                return;
            }

            var documents = new List<BsonDocument>();
            foreach (var path in paths)
            {
                var sequence = NextSequence();
                documents.Add(MongoFileDocuments.ToDirectoryDocument(WorkspaceId, path, sequence));
                Log(sequence, ChangeType.Created, EntryType.Directory, path, null, null, null, userId);
            }
            HasWritten = true;
            await store._entries.InsertManyAsync(documents, InOrder, Token);
        }

        public async Task InsertFileAsync(string path, byte[] storedContent, long size, long version, long sequence)
        {
            HasWritten = true;
            await store._entries.InsertOneAsync(
                MongoFileDocuments.ToFileDocument(WorkspaceId, path, storedContent, size, version, now, sequence), cancellationToken: Token);
        }

        public async Task RewriteFileAsync(string path, long currentVersion, byte[] storedContent, long size, long version, long sequence)
        {
            HasWritten = true;
            var rewritten = await store._entries.UpdateOneAsync(
                MongoFileQueries.FileAtVersion(WorkspaceId, path, currentVersion),
                MongoFileQueries.Rewrite(storedContent, size, version, now, sequence),
                cancellationToken: Token);
            if (rewritten.MatchedCount == 0)
            {
                throw LeaseLost(lease);
            }
        }

        /// <summary>Deletes the entry at <paramref name="path"/> and everything under it, tombstones first.</summary>
        public async Task RemoveAsync(string path, IReadOnlyList<StoredEntry> entries)
        {
            HasWritten = true;
            var tombstones = entries
                .Where(entry => entry.Type == EntryType.File)
                .Select(entry => new UpdateOneModel<BsonDocument>(
                    MongoValues.ById(MongoValues.Key(WorkspaceId, entry.Path)),
                    MongoFileQueries.Bury(WorkspaceId, entry.Path, entry.Version!.Value))
                { IsUpsert = true })
                .ToList();
            if (tombstones.Count > 0)
            {
                await store._tombstones.BulkWriteAsync(tombstones, new BulkWriteOptions { IsOrdered = false }, Token);
            }
            await store._entries.DeleteManyAsync(MongoFileQueries.Subtree(WorkspaceId, path), Token);
        }

        /// <summary>
        /// Copies the entry at <paramref name="from"/> and everything under it to
        /// <paramref name="to"/>, a batch at a time. Each file takes the next version of its
        /// new path (above both its own and whatever that path held before).
        /// </summary>
        public async Task<List<MovedEntry>> CopySubtreeAsync(string from, string to, long sequence)
        {
            HasWritten = true;
            var moved = new List<MovedEntry>();
            var batch = new List<BsonDocument>();
            long batchBytes = 0;
            using var cursor = await store._entries.Find(MongoFileQueries.Subtree(WorkspaceId, from), new FindOptions { BatchSize = CopyBatchEntries })
                .Sort(MongoFileQueries.PathOrder)
                .ToCursorAsync(Token);
            while (await cursor.MoveNextAsync(Token))
            {
                foreach (var document in cursor.Current)
                {
                    batch.Add(document);
                    batchBytes += document.GetValue(MongoFileDocuments.SizeField, BsonNull.Value) is { IsBsonNull: false } size ? size.ToInt64() : 0;
                    if (batch.Count >= CopyBatchEntries || batchBytes >= CopyBatchBytes)
                    {
                        moved.AddRange(await CopyAsync(batch, from, to, sequence));
                        batch.Clear();
                        batchBytes = 0;
                    }
                }
            }
            if (batch.Count > 0)
            {
                moved.AddRange(await CopyAsync(batch, from, to, sequence));
            }
            return moved;
        }

        public Task LogChangesAsync()
        {
            HasWritten = true;
            return store._changes.InsertManyAsync(Changes.Select(MongoFileDocuments.ToChangeDocument), InOrder, Token);
        }

        private async Task<List<MovedEntry>> CopyAsync(List<BsonDocument> sources, string from, string to, long sequence)
        {
            var entries = sources.Select(MongoFileDocuments.EntryFromDocument).ToList();
            var tombstones = await TombstoneVersionsAsync(entries
                .Where(entry => entry.Type == EntryType.File)
                .Select(entry => WorkspacePath.Rebase(entry.Path, from, to))
                .ToList());

            var copies = new List<BsonDocument>();
            var moved = new List<MovedEntry>();
            foreach (var (entry, document) in entries.Zip(sources))
            {
                var target = WorkspacePath.Rebase(entry.Path, from, to);
                if (entry.Type == EntryType.Directory)
                {
                    copies.Add(MongoFileDocuments.ToDirectoryDocument(WorkspaceId, target, sequence));
                    moved.Add(new MovedEntry(entry, target, null));
                    continue;
                }

                var version = Math.Max(entry.Version!.Value, tombstones.GetValueOrDefault(target)) + 1;
                // Moved as stored: sealed content stays sealed, and the size is the file's.
                var storedContent = document[MongoFileDocuments.ContentField].AsBsonBinaryData.Bytes;
                copies.Add(MongoFileDocuments.ToFileDocument(WorkspaceId, target, storedContent, entry.Size!.Value, version, now, sequence));
                moved.Add(new MovedEntry(entry, target, version));
            }

            await store._entries.InsertManyAsync(copies, InOrder, Token);
            await RenewAsync();
            return moved;
        }

        private async Task<Dictionary<string, long>> TombstoneVersionsAsync(IReadOnlyCollection<string> paths)
        {
            if (paths.Count == 0)
            {
                return [];
            }

            var documents = await store._tombstones.Find(MongoFileQueries.At(WorkspaceId, paths)).ToListAsync(Token);
            return documents.ToDictionary(
                document => document[MongoFileDocuments.PathField].AsString,
                document => document[MongoFileDocuments.VersionField].ToInt64(),
                StringComparer.Ordinal);
        }

        /// <summary>A long move keeps its lease; losing it means another change may have started, so stop.</summary>
        private async Task RenewAsync()
        {
            var renewed = await store._workspaces.UpdateOneAsync(
                MongoFileQueries.HeldBy(WorkspaceId, lease.Owner),
                MongoFileQueries.RenewLease(store.Now() + LeaseTime),
                cancellationToken: Token);
            if (renewed.MatchedCount == 0)
            {
                throw LeaseLost(lease);
            }
        }
    }
}
