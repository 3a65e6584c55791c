using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using WebIde.FileSystem.Files;
using WebIde.ServiceDefaults.Storage;

namespace WebIde.FileSystem.Storage.Sqlite;

/// <summary>
/// Files in one SQLite file. Every mutation runs in a <c>BEGIN IMMEDIATE</c> transaction, so
/// it holds the write lock from its first read: compare-and-swap, quota and the change log's
/// next sequence number are all decided under that one lock, and commit with the change. A
/// batch of writes shares one transaction (one lock, one fsync), each write decided in turn.
/// Content is the last column of <c>entries</c> so listing a tree never walks a blob's
/// overflow pages. A directory's subtree is the key range <c>[dir + '/', dir + '0')</c>
/// ('0' follows '/' in every encoding), which the primary key answers as a range scan.
/// The account quota (<see cref="AccountQuota"/>) sums the <c>workspaces</c> counters of the
/// workspaces the paying owner owns, found by <c>workspace_owners_by_user</c>; under the one
/// write lock no other write can grow them meanwhile.
/// </summary>
public sealed class SqliteFileStore(SqliteDatabase database, IOptions<FileLimits> limits, TimeProvider time, StoredContent content) : IFileStore
{
    internal static readonly SqliteSchema Schema = new("filesystem", """
        CREATE TABLE IF NOT EXISTS workspaces (
            workspace_id TEXT NOT NULL PRIMARY KEY,
            last_sequence INTEGER NOT NULL,
            bytes INTEGER NOT NULL,
            entries INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS entries (
            workspace_id TEXT NOT NULL,
            path TEXT NOT NULL,
            is_directory INTEGER NOT NULL,
            size INTEGER,
            version INTEGER,
            modified_at INTEGER,
            sequence INTEGER NOT NULL,
            content BLOB,
            PRIMARY KEY (workspace_id, path)
        );
        CREATE TABLE IF NOT EXISTS tombstones (
            workspace_id TEXT NOT NULL,
            path TEXT NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (workspace_id, path)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS changes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            workspace_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            type INTEGER NOT NULL,
            is_directory INTEGER NOT NULL,
            path TEXT NOT NULL,
            from_path TEXT,
            version INTEGER,
            size INTEGER,
            user_id TEXT NOT NULL,
            at INTEGER NOT NULL,
            published INTEGER NOT NULL DEFAULT 0,
            UNIQUE (workspace_id, sequence)
        );
        CREATE TABLE IF NOT EXISTS deleted_workspaces (
            workspace_id TEXT NOT NULL PRIMARY KEY,
            deleted_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS workspace_owners (
            workspace_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            since INTEGER NOT NULL,
            PRIMARY KEY (workspace_id, user_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS workspace_owners_by_user ON workspace_owners (user_id);
        CREATE INDEX IF NOT EXISTS changes_unpublished ON changes (id) WHERE published = 0;
        CREATE INDEX IF NOT EXISTS changes_published_at ON changes (at) WHERE published = 1;
        """);

    private FileLimits Limits => limits.Value;

    public async Task<IReadOnlyList<TreeEntry>> ListTreeAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            SELECT path, is_directory, size, version, modified_at FROM entries
            WHERE workspace_id = @workspace ORDER BY path
            """, workspaceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<TreeEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(reader.GetBoolean(1)
                ? new TreeEntry(reader.GetString(0), EntryType.Directory, null, null, null)
                : new TreeEntry(reader.GetString(0), EntryType.File, reader.GetInt64(2), reader.GetInt64(3), Time(reader.GetInt64(4))));
        }
        return entries;
    }

    public async Task<StoredFile?> ReadFileAsync(Guid workspaceId, string path, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            SELECT path, version, modified_at, sequence, content FROM entries
            WHERE workspace_id = @workspace AND path = @path AND is_directory = 0
            """, workspaceId);
        command.Parameters.AddWithValue("@path", path);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadStoredFile(reader) : null;
    }

    public async IAsyncEnumerable<StoredFile> ReadAllFilesAsync(Guid workspaceId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // One read transaction for the whole walk, so the files come from one moment.
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var command = Command(connection, transaction, """
            SELECT path, version, modified_at, sequence, content FROM entries
            WHERE workspace_id = @workspace AND is_directory = 0 ORDER BY path
            """, workspaceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadStoredFile(reader);
        }
    }

    public Task<FileMutation> WriteFileAsync(FileWrite write, CancellationToken cancellationToken) =>
        // Refused before the write lock is taken: a file over the limit never waits for it.
        TooLarge(write) is { } refused
            ? Task.FromResult(refused)
            : MutateAsync(write.WorkspaceId, session => WriteAsync(session, write), cancellationToken);

    public Task<IReadOnlyList<FileMutation>> WriteFilesAsync(Guid workspaceId, IReadOnlyList<FileWrite> writes, CancellationToken cancellationToken)
    {
        FileWrite.ThrowIfNotAllOf(workspaceId, writes);
        if (writes.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<FileMutation>>([]);
        }

        return MutateAllAsync(workspaceId, writes.Count, async session =>
        {
            var mutations = new List<FileMutation>(writes.Count);
            foreach (var write in writes)
            {
                mutations.Add(TooLarge(write) ?? await WriteAsync(session, write));
            }
            return mutations;
        }, cancellationToken);
    }

    private FileMutation? TooLarge(FileWrite write) => write.Content.Length > Limits.MaxFileBytes
        ? FileMutation.Refused(MutationStatus.QuotaExceeded, $"The file is {write.Content.Length} bytes; the limit is {Limits.MaxFileBytes}.")
        : null;

    /// <summary>One write inside the session's transaction; a refusal is decided before it writes anything, so it leaves the transaction as it found it.</summary>
    private async Task<FileMutation> WriteAsync(Session session, FileWrite write)
    {
        var existing = await session.FindAsync(write.Path);
        if (existing is { IsDirectory: true })
        {
            return FileMutation.Refused(MutationStatus.Conflict, $"'{write.Path}' is a directory.");
        }
        var missing = await session.MissingAncestorsAsync(write.Path);
        if (missing is null)
        {
            return FileMutation.Refused(MutationStatus.Conflict, $"A parent of '{write.Path}' is a file.");
        }
        if (!write.Condition.IsMetBy(existing?.Version))
        {
            return FileMutation.Refused(MutationStatus.PreconditionFailed, existing is null
                ? $"'{write.Path}' does not exist."
                : $"'{write.Path}' is at version {existing.Version}.");
        }

        var usage = await session.UsageAsync();
        var bytes = usage.Bytes - (existing?.Size ?? 0) + write.Content.Length;
        var entries = usage.Entries + missing.Count + (existing is null ? 1 : 0);
        if (QuotaProblem(bytes, entries) is { } problem)
        {
            return FileMutation.Refused(MutationStatus.QuotaExceeded, problem);
        }
        if (bytes > usage.Bytes && await AccountProblemAsync(session, usage.Bytes, bytes) is { } accountProblem)
        {
            return FileMutation.Refused(MutationStatus.QuotaExceeded, accountProblem);
        }

        var now = time.GetUtcNow();
        var changes = await session.CreateDirectoriesAsync(missing, write.UserId, now);

        var version = existing is null ? await session.TombstoneVersionAsync(write.Path) + 1 : existing.Version!.Value + 1;
        var fileSequence = session.NextSequence();
        await session.UpsertFileAsync(write.Path, content.Seal(write.Content.Span), write.Content.Length, version, now, fileSequence);
        changes.Add(await session.LogAsync(fileSequence, existing is null ? ChangeType.Created : ChangeType.Changed, EntryType.File,
            write.Path, null, version, write.Content.Length, write.UserId, now));

        await session.SaveUsageAsync(bytes, entries);
        return new FileMutation(MutationStatus.Done, changes, [write.Path]);
    }

    public Task<FileMutation> CreateDirectoryAsync(Guid workspaceId, string path, Guid userId, CancellationToken cancellationToken)
    {
        return MutateAsync(workspaceId, async session =>
        {
            var existing = await session.FindAsync(path);
            if (existing is not null)
            {
                return existing.IsDirectory
                    ? FileMutation.Unchanged
                    : FileMutation.Refused(MutationStatus.Conflict, $"'{path}' is a file.");
            }
            var missing = await session.MissingAncestorsAsync(path);
            if (missing is null)
            {
                return FileMutation.Refused(MutationStatus.Conflict, $"A parent of '{path}' is a file.");
            }

            var usage = await session.UsageAsync();
            var entries = usage.Entries + missing.Count + 1;
            if (QuotaProblem(usage.Bytes, entries) is { } problem)
            {
                return FileMutation.Refused(MutationStatus.QuotaExceeded, problem);
            }

            var changes = await session.CreateDirectoriesAsync(missing.Append(path), userId, time.GetUtcNow());

            await session.SaveUsageAsync(usage.Bytes, entries);
            return new FileMutation(MutationStatus.Done, changes, []);
        }, cancellationToken);
    }

    public Task<FileMutation> DeleteAsync(Guid workspaceId, string path, long? expectedVersion, Guid userId, CancellationToken cancellationToken)
    {
        return MutateAsync(workspaceId, async session =>
        {
            var existing = await session.FindAsync(path);
            if (existing is null)
            {
                return FileMutation.Refused(MutationStatus.NotFound, $"'{path}' does not exist.");
            }
            if (expectedVersion is { } expected && existing.Version != expected)
            {
                return FileMutation.Refused(MutationStatus.PreconditionFailed, existing.IsDirectory
                    ? $"'{path}' is a directory; directories have no version."
                    : $"'{path}' is at version {existing.Version}.");
            }

            var usage = await session.UsageAsync();
            var removed = await session.RemoveSubtreeAsync(path);
            var sequence = session.NextSequence();
            var change = await session.LogAsync(sequence, ChangeType.Deleted, existing.IsDirectory ? EntryType.Directory : EntryType.File,
                path, null, null, null, userId, time.GetUtcNow());
            await session.SaveUsageAsync(usage.Bytes - removed.Bytes, usage.Entries - removed.Entries);
            return new FileMutation(MutationStatus.Done, [change], removed.Files);
        }, cancellationToken);
    }

    public Task<FileMutation> MoveAsync(Guid workspaceId, string from, string to, bool overwrite, Guid userId, CancellationToken cancellationToken)
    {
        if (from == to)
        {
            return Task.FromResult(FileMutation.Refused(MutationStatus.Invalid, "'from' and 'to' are the same path."));
        }
        if (WorkspacePath.IsInside(to, from))
        {
            return Task.FromResult(FileMutation.Refused(MutationStatus.Invalid, $"'{from}' cannot move inside itself."));
        }

        return MutateAsync(workspaceId, async session =>
        {
            var source = await session.FindAsync(from);
            if (source is null)
            {
                return FileMutation.Refused(MutationStatus.NotFound, $"'{from}' does not exist.");
            }
            var missing = await session.MissingAncestorsAsync(to);
            if (missing is null)
            {
                return FileMutation.Refused(MutationStatus.Conflict, $"A parent of '{to}' is a file.");
            }
            var target = await session.FindAsync(to);
            if (target is not null && !overwrite)
            {
                return FileMutation.Refused(MutationStatus.Conflict, $"'{to}' exists; set overwrite to replace it.");
            }
            if (target is not null && WorkspacePath.IsInside(from, to))
            {
                return FileMutation.Refused(MutationStatus.Conflict, $"'{to}' holds '{from}'; it cannot be replaced by something inside it.");
            }
            if (target is not null && target.IsDirectory != source.IsDirectory)
            {
                return FileMutation.Refused(MutationStatus.Conflict, target.IsDirectory
                    ? $"'{to}' is a directory; a file cannot replace it."
                    : $"'{to}' is a file; a directory cannot replace it.");
            }

            var usage = await session.UsageAsync();
            var replaced = target is null ? Removal.None : await session.RemoveSubtreeAsync(to);
            var entries = usage.Entries - replaced.Entries + missing.Count;
            if (QuotaProblem(usage.Bytes - replaced.Bytes, entries) is { } problem)
            {
                return FileMutation.Refused(MutationStatus.QuotaExceeded, problem);
            }

            var now = time.GetUtcNow();
            var changes = await session.CreateDirectoriesAsync(missing, userId, now);

            var sequence = session.NextSequence();
            var moved = await session.MoveSubtreeAsync(from, to, sequence, now);
            var movedVersion = source.IsDirectory ? null : moved.Single().Version;
            changes.Add(await session.LogAsync(sequence, ChangeType.Moved, source.IsDirectory ? EntryType.Directory : EntryType.File,
                to, from, movedVersion, source.Size, userId, now));

            await session.SaveUsageAsync(usage.Bytes - replaced.Bytes, entries);
            var stale = moved.Where(file => file.Version is not null).SelectMany(file => new[] { file.From, file.To }).Concat(replaced.Files).Distinct().ToList();
            return new FileMutation(MutationStatus.Done, changes, stale);
        }, cancellationToken);
    }

    public async Task DeleteWorkspaceAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var table in new[] { "entries", "tombstones", "changes", "workspaces", "workspace_owners" })
        {
            await using var command = Command(connection, transaction, $"DELETE FROM {table} WHERE workspace_id = @workspace", workspaceId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var mark = Command(connection, transaction,
            "INSERT OR IGNORE INTO deleted_workspaces (workspace_id, deleted_at) VALUES (@workspace, @at)", workspaceId))
        {
            mark.Parameters.AddWithValue("@at", time.GetUtcNow().UtcTicks);
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<WorkspaceUsage> GetUsageAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var usage = await new Session(connection, null, workspaceId, cancellationToken).UsageAsync();
        return new WorkspaceUsage(usage.Bytes, usage.Entries);
    }

    public async Task AddOwnerAsync(Guid workspaceId, Guid userId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // A deleted workspace takes no owner: its bytes are gone and must stay uncounted.
        await using var command = Command(connection, null, """
            INSERT INTO workspace_owners (workspace_id, user_id, since)
            SELECT @workspace, @user, @since WHERE NOT EXISTS (SELECT 1 FROM deleted_workspaces WHERE workspace_id = @workspace)
            ON CONFLICT (workspace_id, user_id) DO UPDATE SET since = min(since, excluded.since)
            """, workspaceId);
        command.Parameters.AddWithValue("@user", Id(userId));
        command.Parameters.AddWithValue("@since", since.UtcTicks);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RemoveOwnerAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            "DELETE FROM workspace_owners WHERE workspace_id = @workspace AND user_id = @user", workspaceId);
        command.Parameters.AddWithValue("@user", Id(userId));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Guid?> GetPayerAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return AccountQuota.PayerOf(await new Session(connection, null, workspaceId, cancellationToken).OwnersAsync());
    }

    public async Task<AccountUsage> GetAccountUsageAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        var paid = await PaidWorkspacesAsync(connection, transaction, accountId, cancellationToken);
        return new AccountUsage(paid.Values.Sum(), paid.Count);
    }

    /// <summary>
    /// Why the write is refused when it takes the workspace from <paramref name="bytesBefore"/>
    /// to <paramref name="bytesAfter"/>: what its paying account's workspaces would then hold.
    /// </summary>
    private async Task<string?> AccountProblemAsync(Session session, long bytesBefore, long bytesAfter)
    {
        var owners = await session.OwnersAsync();
        if (AccountQuota.PayerOf(owners) is not { } payer)
        {
            return null;
        }

        var paid = await PaidWorkspacesAsync(session.Connection, session.Transaction, payer, session.CancellationToken);
        return AccountQuota.Problem(paid.Values.Sum() - bytesBefore + bytesAfter, Limits.MaxAccountBytes);
    }

    /// <summary>The bytes of each workspace <paramref name="accountId"/> pays for: every owner of each workspace it owns, then the rule.</summary>
    private static async Task<Dictionary<Guid, long>> PaidWorkspacesAsync(
        SqliteConnection connection, SqliteTransaction? transaction, Guid accountId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT o.workspace_id, o.user_id, o.since, coalesce(w.bytes, 0) FROM workspace_owners o
            LEFT JOIN workspaces w ON w.workspace_id = o.workspace_id
            WHERE o.workspace_id IN (SELECT workspace_id FROM workspace_owners WHERE user_id = @account)
            """;
        command.Parameters.AddWithValue("@account", Id(accountId));
        var owners = new List<WorkspaceOwner>();
        var bytes = new Dictionary<Guid, long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var workspaceId = Guid.ParseExact(reader.GetString(0), "D");
            owners.Add(new WorkspaceOwner(workspaceId, Guid.ParseExact(reader.GetString(1), "D"), Time(reader.GetInt64(2))));
            bytes[workspaceId] = reader.GetInt64(3);
        }
        return AccountQuota.PaidBy(accountId, owners).ToDictionary(workspaceId => workspaceId, workspaceId => bytes[workspaceId]);
    }

    public async Task<ChangePage> ReadChangesAsync(Guid workspaceId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        var usage = await new Session(connection, transaction, workspaceId, cancellationToken).UsageAsync();
        var changes = await ReadChangeRowsAsync(connection, transaction, """
            SELECT workspace_id, sequence, type, is_directory, path, from_path, version, size, user_id, at FROM changes
            WHERE workspace_id = @workspace AND sequence > @after ORDER BY sequence LIMIT @limit
            """, command =>
            {
                command.Parameters.AddWithValue("@workspace", Id(workspaceId));
                command.Parameters.AddWithValue("@after", afterSequence);
                command.Parameters.AddWithValue("@limit", limit);
            }, cancellationToken);

        // A hole anywhere in the page, not only before it: a trim drops published changes and
        // leaves an older one still waiting for the bus, so 2 and 4 may remain without 3.
        var lost = afterSequence < usage.LastSequence
            && (changes.Count == 0 || changes.Where((change, index) => change.Sequence != afterSequence + 1 + index).Any());
        return new ChangePage(lost ? [] : changes, lost, usage.LastSequence);
    }

    public async Task<IReadOnlyList<FileChange>> ReadUnpublishedChangesAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadChangeRowsAsync(connection, null, """
            SELECT workspace_id, sequence, type, is_directory, path, from_path, version, size, user_id, at FROM changes
            WHERE published = 0 ORDER BY id LIMIT @limit
            """, command => command.Parameters.AddWithValue("@limit", limit), cancellationToken);
    }

    public async Task MarkPublishedAsync(IReadOnlyCollection<FileChange> changes, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var command = Command(connection, transaction,
            "UPDATE changes SET published = 1 WHERE workspace_id = @workspace AND sequence = @sequence", Guid.Empty);
        var sequence = command.Parameters.Add("@sequence", SqliteType.Integer);
        foreach (var change in changes)
        {
            command.Parameters["@workspace"].Value = Id(change.WorkspaceId);
            sequence.Value = change.Sequence;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<int> TrimChangesAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM changes WHERE published = 1 AND at < @before";
        command.Parameters.AddWithValue("@before", before.UtcTicks);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Runs one mutation in its own write transaction, committed when it is done; a refusal
    /// rolls back whatever it began. A deleted workspace takes no change at all.
    /// </summary>
    private async Task<FileMutation> MutateAsync(Guid workspaceId, Func<Session, Task<FileMutation>> change, CancellationToken cancellationToken) =>
        (await MutateAllAsync(workspaceId, 1, async session => [await change(session)], cancellationToken))[0];

    /// <summary>
    /// Runs <paramref name="count"/> mutations in one write transaction, committed when any of
    /// them is done (each leaves a refusal of its own unwritten); in a deleted workspace every
    /// one is refused.
    /// </summary>
    private async Task<IReadOnlyList<FileMutation>> MutateAllAsync(
        Guid workspaceId, int count, Func<Session, Task<IReadOnlyList<FileMutation>>> changes, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var session = new Session(connection, transaction, workspaceId, cancellationToken);
        if (await session.IsDeletedAsync())
        {
            return Enumerable.Repeat(WorkspaceDeleted, count).ToList();
        }

        var mutations = await changes(session);
        if (mutations.Any(mutation => mutation.Status == MutationStatus.Done))
        {
            await transaction.CommitAsync(cancellationToken);
        }
        return mutations;
    }

    private static readonly FileMutation WorkspaceDeleted = FileMutation.Refused(MutationStatus.NotFound, "The workspace was deleted.");

    private string? QuotaProblem(long bytes, int entries) =>
        bytes > Limits.MaxWorkspaceBytes ? $"The workspace would hold {bytes} bytes; its quota is {Limits.MaxWorkspaceBytes}."
        : entries > Limits.MaxWorkspaceEntries ? $"The workspace would hold {entries} files and directories; its quota is {Limits.MaxWorkspaceEntries}."
        : null;

    private static async Task<IReadOnlyList<FileChange>> ReadChangeRowsAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var changes = new List<FileChange>();
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new FileChange(
                Guid.ParseExact(reader.GetString(0), "D"),
                reader.GetInt64(1),
                (ChangeType)reader.GetInt32(2),
                reader.GetBoolean(3) ? EntryType.Directory : EntryType.File,
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetInt64(6),
                reader.IsDBNull(7) ? null : reader.GetInt64(7),
                Guid.ParseExact(reader.GetString(8), "D"),
                Time(reader.GetInt64(9))));
        }
        return changes;
    }

    private StoredFile ReadStoredFile(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.IsDBNull(4) ? [] : content.Open((byte[])reader.GetValue(4)),
        reader.GetInt64(1),
        Time(reader.GetInt64(2)),
        reader.GetInt64(3));

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, Guid workspaceId)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("@workspace", Id(workspaceId));
        return command;
    }

    private static string Id(Guid id) => id.ToString("D");

    private static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    private sealed record Entry(bool IsDirectory, long? Size, long? Version);

    private sealed record Usage(long LastSequence, long Bytes, int Entries);

    private sealed record Removal(long Bytes, int Entries, IReadOnlyList<string> Files)
    {
        public static readonly Removal None = new(0, 0, []);
    }

    private sealed record MovedFile(string From, string To, long? Version);

    /// <summary>The statements one mutation runs, all inside its transaction.</summary>
    private sealed class Session(SqliteConnection connection, SqliteTransaction? transaction, Guid workspaceId, CancellationToken cancellationToken)
    {
        public SqliteConnection Connection => connection;

        public SqliteTransaction? Transaction => transaction;

        public CancellationToken CancellationToken => cancellationToken;

        public async Task<List<WorkspaceOwner>> OwnersAsync()
        {
            await using var command = Command(connection, transaction,
                "SELECT user_id, since FROM workspace_owners WHERE workspace_id = @workspace", workspaceId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var owners = new List<WorkspaceOwner>();
            while (await reader.ReadAsync(cancellationToken))
            {
                owners.Add(new WorkspaceOwner(workspaceId, Guid.ParseExact(reader.GetString(0), "D"), Time(reader.GetInt64(1))));
            }
            return owners;
        }

        public async Task<Entry?> FindAsync(string path)
        {
            await using var command = Command(connection, transaction,
                "SELECT is_directory, size, version FROM entries WHERE workspace_id = @workspace AND path = @path", workspaceId);
            command.Parameters.AddWithValue("@path", path);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new Entry(reader.GetBoolean(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2))
                : null;
        }

        public async Task<bool> IsDeletedAsync()
        {
            await using var command = Command(connection, transaction,
                "SELECT 1 FROM deleted_workspaces WHERE workspace_id = @workspace", workspaceId);
            return await command.ExecuteScalarAsync(cancellationToken) is not null;
        }

        /// <summary>The folders above <paramref name="path"/> that do not exist yet, outermost first; null when one of them is a file.</summary>
        public async Task<List<string>?> MissingAncestorsAsync(string path)
        {
            var missing = new List<string>();
            foreach (var ancestor in WorkspacePath.Ancestors(path))
            {
                var entry = await FindAsync(ancestor);
                if (entry is { IsDirectory: false })
                {
                    return null;
                }
                if (entry is null)
                {
                    missing.Add(ancestor);
                }
            }
            return missing;
        }

        private long _lastSequence = -1;

        /// <summary>The workspace's counters as this transaction found them.</summary>
        public async Task<Usage> UsageAsync()
        {
            await using var command = Command(connection, transaction,
                "SELECT last_sequence, bytes, entries FROM workspaces WHERE workspace_id = @workspace", workspaceId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var usage = await reader.ReadAsync(cancellationToken)
                ? new Usage(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2))
                : new Usage(0, 0, 0);
            if (_lastSequence < 0)
            {
                _lastSequence = usage.LastSequence;
            }
            return usage;
        }

        /// <summary>The next number of the workspace's change log; call <see cref="UsageAsync"/> first.</summary>
        public long NextSequence() => _lastSequence < 0
            ? throw new InvalidOperationException("Read the usage before numbering changes.")
            : ++_lastSequence;

        public async Task SaveUsageAsync(long bytes, int entries)
        {
            await using var command = Command(connection, transaction, """
                INSERT INTO workspaces (workspace_id, last_sequence, bytes, entries) VALUES (@workspace, @sequence, @bytes, @entries)
                ON CONFLICT (workspace_id) DO UPDATE SET last_sequence = excluded.last_sequence, bytes = excluded.bytes, entries = excluded.entries
                """, workspaceId);
            command.Parameters.AddWithValue("@sequence", _lastSequence);
            command.Parameters.AddWithValue("@bytes", bytes);
            command.Parameters.AddWithValue("@entries", entries);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public async Task<FileChange> LogAsync(long sequence, ChangeType type, EntryType entryType, string path, string? from, long? version, long? size, Guid userId, DateTimeOffset at)
        {
            await using var command = Command(connection, transaction, """
                INSERT INTO changes (workspace_id, sequence, type, is_directory, path, from_path, version, size, user_id, at)
                VALUES (@workspace, @sequence, @type, @isDirectory, @path, @from, @version, @size, @user, @at)
                """, workspaceId);
            command.Parameters.AddWithValue("@sequence", sequence);
            command.Parameters.AddWithValue("@type", (int)type);
            command.Parameters.AddWithValue("@isDirectory", entryType == EntryType.Directory);
            command.Parameters.AddWithValue("@path", path);
            command.Parameters.AddWithValue("@from", (object?)from ?? DBNull.Value);
            command.Parameters.AddWithValue("@version", (object?)version ?? DBNull.Value);
            command.Parameters.AddWithValue("@size", (object?)size ?? DBNull.Value);
            command.Parameters.AddWithValue("@user", Id(userId));
            command.Parameters.AddWithValue("@at", at.UtcTicks);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new FileChange(workspaceId, sequence, type, entryType, path, from, version, size, userId, at);
        }

        public async Task<long> TombstoneVersionAsync(string path)
        {
            await using var command = Command(connection, transaction,
                "SELECT version FROM tombstones WHERE workspace_id = @workspace AND path = @path", workspaceId);
            command.Parameters.AddWithValue("@path", path);
            return await command.ExecuteScalarAsync(cancellationToken) is long version ? version : 0;
        }

        /// <summary>Creates the directories in their order, each with its change logged.</summary>
        public async Task<List<FileChange>> CreateDirectoriesAsync(IEnumerable<string> paths, Guid userId, DateTimeOffset at)
        {
            var changes = new List<FileChange>();
            foreach (var path in paths)
            {
                var sequence = NextSequence();
                await InsertDirectoryAsync(path, sequence);
                changes.Add(await LogAsync(sequence, ChangeType.Created, EntryType.Directory, path, null, null, null, userId, at));
            }
            return changes;
        }

        private async Task InsertDirectoryAsync(string path, long sequence)
        {
            await using var command = Command(connection, transaction,
                "INSERT INTO entries (workspace_id, path, is_directory, sequence) VALUES (@workspace, @path, 1, @sequence)", workspaceId);
            command.Parameters.AddWithValue("@path", path);
            command.Parameters.AddWithValue("@sequence", sequence);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        /// <summary><paramref name="storedContent"/> is as it is kept (<see cref="StoredContent"/>); <paramref name="size"/> is the file's.</summary>
        public async Task UpsertFileAsync(string path, byte[] storedContent, long size, long version, DateTimeOffset modifiedAt, long sequence)
        {
            await using var command = Command(connection, transaction, """
                INSERT INTO entries (workspace_id, path, is_directory, size, version, modified_at, sequence, content)
                VALUES (@workspace, @path, 0, @size, @version, @modifiedAt, @sequence, @content)
                ON CONFLICT (workspace_id, path) DO UPDATE SET size = excluded.size, version = excluded.version,
                    modified_at = excluded.modified_at, sequence = excluded.sequence, content = excluded.content
                """, workspaceId);
            command.Parameters.AddWithValue("@path", path);
            command.Parameters.AddWithValue("@size", size);
            command.Parameters.AddWithValue("@version", version);
            command.Parameters.AddWithValue("@modifiedAt", modifiedAt.UtcTicks);
            command.Parameters.AddWithValue("@sequence", sequence);
            command.Parameters.Add("@content", SqliteType.Blob).Value = storedContent;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        /// <summary>Deletes the entry and everything under it, leaving tombstones with the files' last versions.</summary>
        public async Task<Removal> RemoveSubtreeAsync(string path)
        {
            var files = new List<string>();
            long bytes = 0;
            var entries = 0;
            await using (var select = SubtreeCommand("SELECT path, is_directory, size, version FROM entries", path))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
            {
                var removed = new List<(string Path, long Version)>();
                while (await reader.ReadAsync(cancellationToken))
                {
                    entries++;
                    if (!reader.GetBoolean(1))
                    {
                        files.Add(reader.GetString(0));
                        bytes += reader.GetInt64(2);
                        removed.Add((reader.GetString(0), reader.GetInt64(3)));
                    }
                }
                await reader.CloseAsync();
                foreach (var (file, version) in removed)
                {
                    await SetTombstoneAsync(file, version);
                }
            }

            await using var delete = SubtreeCommand("DELETE FROM entries", path);
            await delete.ExecuteNonQueryAsync(cancellationToken);
            return new Removal(bytes, entries, files);
        }

        /// <summary>
        /// Renames the entry and everything under it. Each moved file takes the next version
        /// of its new path (above both its own and whatever that path held before).
        /// </summary>
        public async Task<List<MovedFile>> MoveSubtreeAsync(string from, string to, long sequence, DateTimeOffset at)
        {
            var rows = new List<(string Path, long? Version)>();
            await using (var select = SubtreeCommand("SELECT path, version FROM entries", from))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1)));
                }
            }

            var moved = new List<MovedFile>();
            foreach (var (path, version) in rows)
            {
                var target = WorkspacePath.Rebase(path, from, to);
                long? newVersion = null;
                if (version is { } current)
                {
                    await SetTombstoneAsync(path, current);
                    newVersion = Math.Max(current, await TombstoneVersionAsync(target)) + 1;
                }

                await using var update = Command(connection, transaction, """
                    UPDATE entries SET path = @target, version = @version, sequence = @sequence,
                        modified_at = CASE WHEN is_directory = 1 THEN NULL ELSE @at END
                    WHERE workspace_id = @workspace AND path = @path
                    """, workspaceId);
                update.Parameters.AddWithValue("@target", target);
                update.Parameters.AddWithValue("@version", (object?)newVersion ?? DBNull.Value);
                update.Parameters.AddWithValue("@sequence", sequence);
                update.Parameters.AddWithValue("@at", at.UtcTicks);
                update.Parameters.AddWithValue("@path", path);
                await update.ExecuteNonQueryAsync(cancellationToken);
                moved.Add(new MovedFile(path, target, newVersion));
            }
            return moved;
        }

        private async Task SetTombstoneAsync(string path, long version)
        {
            await using var command = Command(connection, transaction, """
                INSERT INTO tombstones (workspace_id, path, version) VALUES (@workspace, @path, @version)
                ON CONFLICT (workspace_id, path) DO UPDATE SET version = max(version, excluded.version)
                """, workspaceId);
            command.Parameters.AddWithValue("@path", path);
            command.Parameters.AddWithValue("@version", version);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        private SqliteCommand SubtreeCommand(string statement, string path)
        {
            var command = Command(connection, transaction,
                $"{statement} WHERE workspace_id = @workspace AND (path = @path OR (path >= @inside AND path < @after))", workspaceId);
            command.Parameters.AddWithValue("@path", path);
            command.Parameters.AddWithValue("@inside", path + "/");
            command.Parameters.AddWithValue("@after", path + "0");
            return command;
        }
    }
}
