using WebIde.ServiceDefaults.Storage;

namespace WebIde.Identity.Storage.Sqlite;

/// <summary>Keys are listed oldest first (then by id), the same order in every adapter.</summary>
public sealed class SqliteSigningKeyStore(SqliteDatabase database, StoredPrivateKey privateKeys) : ISigningKeyStore
{
    internal static readonly SqliteSchema Schema = new("identity-signing-keys", """
        CREATE TABLE IF NOT EXISTS signing_keys (
            key_id TEXT NOT NULL PRIMARY KEY,
            algorithm TEXT NOT NULL,
            private_key_pkcs8 BLOB NOT NULL,
            created_at TEXT NOT NULL,
            retires_at TEXT NOT NULL
        );
        """);

    public async Task<IReadOnlyList<SigningKeyRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteValues.Command(connection, """
            SELECT key_id, algorithm, private_key_pkcs8, created_at, retires_at
            FROM signing_keys ORDER BY created_at, key_id
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<SigningKeyRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new SigningKeyRecord(
                reader.GetString(0),
                reader.GetString(1),
                privateKeys.Open((byte[])reader.GetValue(2)),
                SqliteValues.ReadTime(reader, 3),
                SqliteValues.ReadTime(reader, 4)));
        }

        return keys;
    }

    public async Task AddAsync(SigningKeyRecord key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteValues.Command(connection, """
            INSERT INTO signing_keys (key_id, algorithm, private_key_pkcs8, created_at, retires_at)
            VALUES (@keyId, @algorithm, @key, @createdAt, @retiresAt)
            """);
        command.Parameters.AddWithValue("@keyId", key.KeyId);
        command.Parameters.AddWithValue("@algorithm", key.Algorithm);
        command.Parameters.AddWithValue("@key", privateKeys.Seal(key.PrivateKeyPkcs8));
        command.Parameters.AddWithValue("@createdAt", SqliteValues.Time(key.CreatedAt));
        command.Parameters.AddWithValue("@retiresAt", SqliteValues.Time(key.RetiresAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
