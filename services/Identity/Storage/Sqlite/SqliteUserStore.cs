using Microsoft.Data.Sqlite;
using WebIde.ServiceDefaults.Storage;

namespace WebIde.Identity.Storage.Sqlite;

public sealed class SqliteUserStore(SqliteDatabase database) : IUserStore
{
    // The UNIQUE constraint on the normalized name is what decides a race between two
    // registrations; nothing looks the name up first.
    internal static readonly SqliteSchema Schema = new("identity-users", """
        CREATE TABLE IF NOT EXISTS users (
            id TEXT NOT NULL PRIMARY KEY,
            username TEXT NOT NULL,
            normalized_username TEXT NOT NULL,
            display_name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            CONSTRAINT users_normalized_username_unique UNIQUE (normalized_username)
        );
        """);

    private const string Columns = "id, username, normalized_username, display_name, password_hash, created_at";

    public async Task<bool> TryCreateAsync(UserAccount user, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteValues.Command(connection, $"""
            INSERT INTO users ({Columns})
            VALUES (@id, @username, @normalized, @displayName, @passwordHash, @createdAt)
            """);
        command.Parameters.AddWithValue("@id", SqliteValues.Id(user.Id));
        command.Parameters.AddWithValue("@username", user.Username);
        command.Parameters.AddWithValue("@normalized", user.NormalizedUsername);
        command.Parameters.AddWithValue("@displayName", user.DisplayName);
        command.Parameters.AddWithValue("@passwordHash", user.PasswordHash);
        command.Parameters.AddWithValue("@createdAt", SqliteValues.Time(user.CreatedAt));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (SqliteException exception) when (DuplicateKey.Is(exception))
        {
            return false;
        }
    }

    public Task<UserAccount?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken) =>
        FindAsync("normalized_username", normalizedUsername, cancellationToken);

    public Task<UserAccount?> FindByIdAsync(Guid id, CancellationToken cancellationToken) =>
        FindAsync("id", SqliteValues.Id(id), cancellationToken);

    public async Task<bool> TryReplacePasswordHashAsync(Guid id, string currentHash, string newHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteValues.Command(connection, "UPDATE users SET password_hash = @newHash WHERE id = @id AND password_hash = @currentHash");
        command.Parameters.AddWithValue("@id", SqliteValues.Id(id));
        command.Parameters.AddWithValue("@currentHash", currentHash);
        command.Parameters.AddWithValue("@newHash", newHash);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<UserAccount?> FindAsync(string column, string value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteValues.Command(connection, $"SELECT {Columns} FROM users WHERE {column} = @value");
        command.Parameters.AddWithValue("@value", value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new UserAccount(
            SqliteValues.ReadId(reader, 0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            reader.GetString(4),
            SqliteValues.ReadTime(reader, 5));
    }
}
