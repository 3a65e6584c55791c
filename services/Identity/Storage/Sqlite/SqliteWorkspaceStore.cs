using Microsoft.Data.Sqlite;
using WebIde.ServiceDefaults.Storage;

namespace WebIde.Identity.Storage.Sqlite;

/// <summary>
/// Workspaces and their members. Every change that reads before it writes runs in a
/// <c>BEGIN IMMEDIATE</c> transaction: it holds the database's write lock from its first read,
/// so two owners demoting each other are serialized and the second sees one owner left.
/// Members are listed by username, workspaces by name (then id).
/// </summary>
public sealed class SqliteWorkspaceStore(SqliteDatabase database) : IWorkspaceStore
{
    internal static readonly SqliteSchema Schema = new("identity-workspaces", """
        CREATE TABLE IF NOT EXISTS workspaces (
            id TEXT NOT NULL PRIMARY KEY,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS memberships (
            workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
            user_id TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
            PRIMARY KEY (workspace_id, user_id)
        );
        CREATE INDEX IF NOT EXISTS memberships_user ON memberships (user_id);
        """);

    public async Task CreateAsync(Workspace workspace, Guid ownerId, CancellationToken cancellationToken, OutboxMessage? announce = null)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using (var command = SqliteValues.Command(connection,
            "INSERT INTO workspaces (id, name, created_at) VALUES (@id, @name, @createdAt)", transaction))
        {
            command.Parameters.AddWithValue("@id", SqliteValues.Id(workspace.Id));
            command.Parameters.AddWithValue("@name", workspace.Name);
            command.Parameters.AddWithValue("@createdAt", SqliteValues.Time(workspace.CreatedAt));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await ExecuteAsync(connection, transaction,
            "INSERT INTO memberships (workspace_id, user_id, role) VALUES (@workspaceId, @userId, @role)",
            workspace.Id, ownerId, WorkspaceRole.Owner, cancellationToken);
        await AnnounceAsync(connection, transaction, announce, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<Workspace?> FindAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteValues.Command(connection, "SELECT id, name, created_at FROM workspaces WHERE id = @id");
        command.Parameters.AddWithValue("@id", SqliteValues.Id(workspaceId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadWorkspace(reader) : null;
    }

    public Task<IReadOnlyList<(Workspace Workspace, WorkspaceRole Role)>> ListForUserAsync(Guid userId, CancellationToken cancellationToken) =>
        ListAsync<(Workspace, WorkspaceRole)>("""
            SELECT w.id, w.name, w.created_at, m.role
            FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
            WHERE m.user_id = @id
            ORDER BY w.name, w.id
            """,
            userId,
            reader => (ReadWorkspace(reader), SqliteValues.ReadRole(reader.GetString(3))),
            cancellationToken);

    public Task<IReadOnlyList<WorkspaceMember>> ListMembersAsync(Guid workspaceId, CancellationToken cancellationToken) =>
        ListAsync("""
            SELECT m.workspace_id, m.user_id, u.username, m.role
            FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.workspace_id = @id
            ORDER BY u.normalized_username, m.user_id
            """,
            workspaceId,
            reader => new WorkspaceMember(
                SqliteValues.ReadId(reader, 0),
                SqliteValues.ReadId(reader, 1),
                reader.GetString(2),
                SqliteValues.ReadRole(reader.GetString(3))),
            cancellationToken);

    public async Task<WorkspaceRole?> FindRoleAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await FindRoleAsync(connection, null, workspaceId, userId, cancellationToken);
    }

    public async Task<MembershipChange> SetRoleAsync(Guid workspaceId, Guid userId, WorkspaceRole role, CancellationToken cancellationToken, OutboxMessage? announce = null)
    {
        if (!Enum.IsDefined(role))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, "Not a workspace role.");
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        // Rolled back on dispose whenever we return before committing.
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (!await WorkspaceExistsAsync(connection, transaction, workspaceId, cancellationToken))
        {
            return MembershipChange.WorkspaceNotFound;
        }

        var current = await FindRoleAsync(connection, transaction, workspaceId, userId, cancellationToken);
        MembershipChange change;
        if (current is null)
        {
            await ExecuteAsync(connection, transaction,
                "INSERT INTO memberships (workspace_id, user_id, role) VALUES (@workspaceId, @userId, @role)",
                workspaceId, userId, role, cancellationToken);
            change = MembershipChange.Added;
        }
        else if (current == role)
        {
            return MembershipChange.Unchanged;
        }
        else
        {
            if (current == WorkspaceRole.Owner && await CountOwnersAsync(connection, transaction, workspaceId, cancellationToken) <= 1)
            {
                return MembershipChange.LastOwner;
            }

            await ExecuteAsync(connection, transaction,
                "UPDATE memberships SET role = @role WHERE workspace_id = @workspaceId AND user_id = @userId",
                workspaceId, userId, role, cancellationToken);
            change = MembershipChange.Updated;
        }

        await AnnounceAsync(connection, transaction, announce, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return change;
    }

    public async Task<MembershipChange> RemoveMemberAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken, OutboxMessage? announce = null)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (!await WorkspaceExistsAsync(connection, transaction, workspaceId, cancellationToken))
        {
            return MembershipChange.WorkspaceNotFound;
        }

        var current = await FindRoleAsync(connection, transaction, workspaceId, userId, cancellationToken);
        if (current is null)
        {
            return MembershipChange.NotAMember;
        }

        if (current == WorkspaceRole.Owner && await CountOwnersAsync(connection, transaction, workspaceId, cancellationToken) <= 1)
        {
            return MembershipChange.LastOwner;
        }

        await ExecuteAsync(connection, transaction,
            "DELETE FROM memberships WHERE workspace_id = @workspaceId AND user_id = @userId",
            workspaceId, userId, role: null, cancellationToken);
        await AnnounceAsync(connection, transaction, announce, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return MembershipChange.Removed;
    }

    public async Task<bool> DeleteAsync(Guid workspaceId, CancellationToken cancellationToken, OutboxMessage? announce = null)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        // Explicit rather than trusting ON DELETE CASCADE alone: that needs foreign_keys on
        // for the connection, which is the connection factory's business, not ours.
        await ExecuteAsync(connection, transaction,
            "DELETE FROM memberships WHERE workspace_id = @workspaceId", workspaceId, userId: null, role: null, cancellationToken);
        var deleted = await ExecuteAsync(connection, transaction,
            "DELETE FROM workspaces WHERE id = @workspaceId", workspaceId, userId: null, role: null, cancellationToken);
        if (deleted == 1)
        {
            await AnnounceAsync(connection, transaction, announce, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return deleted == 1;
    }

    /// <summary>Every row of <paramref name="sql"/>, which takes its one id as <c>@id</c>.</summary>
    private async Task<IReadOnlyList<T>> ListAsync<T>(
        string sql, Guid id, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteValues.Command(connection, sql);
        command.Parameters.AddWithValue("@id", SqliteValues.Id(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static Task AnnounceAsync(
        SqliteConnection connection, SqliteTransaction transaction, OutboxMessage? announce, CancellationToken cancellationToken) =>
        announce is null ? Task.CompletedTask : SqliteOutboxStore.AppendAsync(connection, transaction, announce, cancellationToken);

    private static Workspace ReadWorkspace(SqliteDataReader reader) =>
        new(SqliteValues.ReadId(reader, 0), reader.GetString(1), SqliteValues.ReadTime(reader, 2));

    private static async Task<bool> WorkspaceExistsAsync(
        SqliteConnection connection, SqliteTransaction transaction, Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var command = SqliteValues.Command(connection, "SELECT 1 FROM workspaces WHERE id = @id", transaction);
        command.Parameters.AddWithValue("@id", SqliteValues.Id(workspaceId));
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static async Task<WorkspaceRole?> FindRoleAsync(
        SqliteConnection connection, SqliteTransaction? transaction, Guid workspaceId, Guid userId, CancellationToken cancellationToken)
    {
        await using var command = SqliteValues.Command(connection,
            "SELECT role FROM memberships WHERE workspace_id = @workspaceId AND user_id = @userId", transaction);
        command.Parameters.AddWithValue("@workspaceId", SqliteValues.Id(workspaceId));
        command.Parameters.AddWithValue("@userId", SqliteValues.Id(userId));
        return await command.ExecuteScalarAsync(cancellationToken) is string role ? SqliteValues.ReadRole(role) : null;
    }

    private static async Task<long> CountOwnersAsync(
        SqliteConnection connection, SqliteTransaction transaction, Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var command = SqliteValues.Command(connection,
            "SELECT COUNT(*) FROM memberships WHERE workspace_id = @workspaceId AND role = 'owner'", transaction);
        command.Parameters.AddWithValue("@workspaceId", SqliteValues.Id(workspaceId));
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<int> ExecuteAsync(
        SqliteConnection connection, SqliteTransaction transaction, string sql,
        Guid workspaceId, Guid? userId, WorkspaceRole? role, CancellationToken cancellationToken)
    {
        await using var command = SqliteValues.Command(connection, sql, transaction);
        command.Parameters.AddWithValue("@workspaceId", SqliteValues.Id(workspaceId));
        if (userId is { } user)
        {
            command.Parameters.AddWithValue("@userId", SqliteValues.Id(user));
        }

        if (role is { } value)
        {
            command.Parameters.AddWithValue("@role", SqliteValues.Role(value));
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
