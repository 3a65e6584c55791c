using Microsoft.Data.Sqlite;
using WebIde.ServiceDefaults.Storage;

namespace WebIde.Identity.Storage.Sqlite;

/// <summary>
/// The outbox as a table beside the workspaces: <see cref="SqliteWorkspaceStore"/> inserts a
/// message in the transaction of its change (<see cref="AppendAsync"/>), so both are on disk or
/// neither is, and every message here is confirmed. The sequence is an <c>AUTOINCREMENT</c> key:
/// never reused, so a message deleted by one instance is never confused with a newer one.
/// The lease is one row, taken with a conditional upsert.
/// </summary>
public sealed class SqliteOutboxStore(SqliteDatabase database) : IOutboxStore
{
    internal static readonly SqliteSchema Schema = new("identity-outbox", """
        CREATE TABLE IF NOT EXISTS outbox (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            message_id TEXT NOT NULL,
            message_type TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS outbox_lease (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            holder TEXT NOT NULL,
            until TEXT NOT NULL
        );
        """);

    /// <summary>Writes <paramref name="message"/> in <paramref name="transaction"/>, the change's own.</summary>
    internal static async Task AppendAsync(
        SqliteConnection connection, SqliteTransaction transaction, OutboxMessage message, CancellationToken cancellationToken)
    {
        await using var command = SqliteValues.Command(connection, """
            INSERT INTO outbox (message_id, message_type, body, created_at)
            VALUES (@messageId, @messageType, @body, @createdAt)
            """, transaction);
        command.Parameters.AddWithValue("@messageId", SqliteValues.Id(message.MessageId));
        command.Parameters.AddWithValue("@messageType", message.MessageType);
        command.Parameters.AddWithValue("@body", message.Body);
        command.Parameters.AddWithValue("@createdAt", SqliteValues.Time(message.CreatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<PendingOutboxMessage>> ReadPendingAsync(int max, DateTimeOffset intentsOlderThan, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteValues.Command(connection, """
            SELECT sequence, message_id, message_type, body, created_at
            FROM outbox ORDER BY sequence LIMIT @max
            """);
        command.Parameters.AddWithValue("@max", max);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var pending = new List<PendingOutboxMessage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            pending.Add(new PendingOutboxMessage(
                reader.GetInt64(0),
                new OutboxMessage(SqliteValues.ReadId(reader, 1), reader.GetString(2), reader.GetString(3), SqliteValues.ReadTime(reader, 4)),
                Confirmed: true));
        }

        return pending;
    }

    public async Task<long> CountPendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteValues.Command(connection, "SELECT COUNT(*) FROM outbox");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task DeleteAsync(long sequence, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteValues.Command(connection, "DELETE FROM outbox WHERE sequence = @sequence");
        command.Parameters.AddWithValue("@sequence", sequence);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> TryLeaseAsync(string holder, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteValues.Command(connection, """
            INSERT INTO outbox_lease (id, holder, until) VALUES (1, @holder, @until)
            ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, until = excluded.until
            WHERE outbox_lease.holder = excluded.holder OR outbox_lease.until < @now
            """);
        command.Parameters.AddWithValue("@holder", holder);
        command.Parameters.AddWithValue("@until", SqliteValues.Time(until));
        command.Parameters.AddWithValue("@now", SqliteValues.Time(now));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task ReleaseLeaseAsync(string holder, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteValues.Command(connection, "DELETE FROM outbox_lease WHERE holder = @holder");
        command.Parameters.AddWithValue("@holder", holder);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
