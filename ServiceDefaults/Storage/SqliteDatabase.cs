using Microsoft.Data.Sqlite;

namespace WebIde.ServiceDefaults.Storage;

/// <summary>
/// Hands out open connections to a service's own SQLite file, with the settings that make
/// an acknowledged write durable (WAL, full sync) and concurrent writers wait instead of fail.
/// </summary>
public sealed class SqliteDatabase(string connectionString, IEnumerable<SqliteSchema> schemas) : IDisposable
{
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private volatile bool _schemaApplied;

    public string DataSource { get; } = new SqliteConnectionStringBuilder(connectionString).DataSource;

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;", cancellationToken);
            await EnsureSchemaAsync(connection, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task EnsureSchemaAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        if (_schemaApplied)
        {
            return;
        }

        await _schemaLock.WaitAsync(cancellationToken);
        try
        {
            if (_schemaApplied)
            {
                return;
            }

            foreach (var schema in schemas)
            {
                await ExecuteAsync(connection, schema.Sql, cancellationToken);
            }

            _schemaApplied = true;
        }
        finally
        {
            _schemaLock.Release();
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public void Dispose() => _schemaLock.Dispose();
}
