using Microsoft.Data.Sqlite;
using WebIde.ServiceDefaults.Storage;

namespace WebIde.Identity.Storage.Sqlite;

public sealed class SqliteSessionStore(SqliteDatabase database) : ISessionStore
{
    internal static readonly SqliteSchema Schema = new("identity-sessions", """
        CREATE TABLE IF NOT EXISTS sessions (
            id TEXT NOT NULL PRIMARY KEY,
            user_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            revoked_at TEXT NULL
        );
        CREATE TABLE IF NOT EXISTS refresh_tokens (
            token_hash TEXT NOT NULL PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            user_id TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            spent_at TEXT NULL
        );
        CREATE INDEX IF NOT EXISTS refresh_tokens_session ON refresh_tokens (session_id);
        """);

    public async Task CreateAsync(LoginSession session, RefreshTokenRecord firstRefreshToken, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // IMMEDIATE: take the write lock up front, so a busy database makes us wait, not fail.
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using (var command = SqliteValues.Command(connection, """
            INSERT INTO sessions (id, user_id, created_at, expires_at, revoked_at)
            VALUES (@id, @userId, @createdAt, @expiresAt, @revokedAt)
            """, transaction))
        {
            command.Parameters.AddWithValue("@id", SqliteValues.Id(session.Id));
            command.Parameters.AddWithValue("@userId", SqliteValues.Id(session.UserId));
            command.Parameters.AddWithValue("@createdAt", SqliteValues.Time(session.CreatedAt));
            command.Parameters.AddWithValue("@expiresAt", SqliteValues.Time(session.ExpiresAt));
            command.Parameters.AddWithValue("@revokedAt", SqliteValues.Time(session.RevokedAt));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await InsertRefreshTokenAsync(connection, transaction, firstRefreshToken, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<LoginSession?> FindAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteValues.Command(connection,
            "SELECT id, user_id, created_at, expires_at, revoked_at FROM sessions WHERE id = @id");
        command.Parameters.AddWithValue("@id", SqliteValues.Id(sessionId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new LoginSession(
            SqliteValues.ReadId(reader, 0),
            SqliteValues.ReadId(reader, 1),
            SqliteValues.ReadTime(reader, 2),
            SqliteValues.ReadTime(reader, 3),
            SqliteValues.ReadNullableTime(reader, 4));
    }

    public async Task<RefreshTokenRecord?> FindRefreshTokenAsync(string tokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteValues.Command(connection, """
            SELECT token_hash, session_id, user_id, issued_at, expires_at, spent_at
            FROM refresh_tokens WHERE token_hash = @hash
            """);
        command.Parameters.AddWithValue("@hash", tokenHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new RefreshTokenRecord(
            reader.GetString(0),
            SqliteValues.ReadId(reader, 1),
            SqliteValues.ReadId(reader, 2),
            SqliteValues.ReadTime(reader, 3),
            SqliteValues.ReadTime(reader, 4),
            SqliteValues.ReadNullableTime(reader, 5));
    }

    public async Task<bool> TrySpendAsync(string spentHash, RefreshTokenRecord replacement, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using (var spend = SqliteValues.Command(connection,
            "UPDATE refresh_tokens SET spent_at = @now WHERE token_hash = @hash AND spent_at IS NULL", transaction))
        {
            spend.Parameters.AddWithValue("@now", SqliteValues.Time(now));
            spend.Parameters.AddWithValue("@hash", spentHash);
            // The conditional update is the compare-and-set: of two exchanges of one token,
            // the second finds it spent and touches nothing.
            if (await spend.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                return false;
            }
        }

        await InsertRefreshTokenAsync(connection, transaction, replacement, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> RevokeAsync(Guid sessionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteValues.Command(connection,
            "UPDATE sessions SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL");
        command.Parameters.AddWithValue("@now", SqliteValues.Time(now));
        command.Parameters.AddWithValue("@id", SqliteValues.Id(sessionId));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static async Task InsertRefreshTokenAsync(
        SqliteConnection connection, SqliteTransaction transaction, RefreshTokenRecord token, CancellationToken cancellationToken)
    {
        await using var command = SqliteValues.Command(connection, """
            INSERT INTO refresh_tokens (token_hash, session_id, user_id, issued_at, expires_at, spent_at)
            VALUES (@hash, @sessionId, @userId, @issuedAt, @expiresAt, @spentAt)
            """, transaction);
        command.Parameters.AddWithValue("@hash", token.TokenHash);
        command.Parameters.AddWithValue("@sessionId", SqliteValues.Id(token.SessionId));
        command.Parameters.AddWithValue("@userId", SqliteValues.Id(token.UserId));
        command.Parameters.AddWithValue("@issuedAt", SqliteValues.Time(token.IssuedAt));
        command.Parameters.AddWithValue("@expiresAt", SqliteValues.Time(token.ExpiresAt));
        command.Parameters.AddWithValue("@spentAt", SqliteValues.Time(token.SpentAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
