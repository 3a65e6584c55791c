using Microsoft.Data.Sqlite;
using WebIde.ServiceDefaults.Storage;

namespace WebIde.ServiceDefaults.UnitTests;

public sealed class SqliteDatabaseTests
{
    private static readonly SqliteSchema Notes = new("notes", "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);");

    private TempFolder _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TempFolder();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    private string ConnectionString => $"Data Source={_folder.File("store.db")}";

    [Test]
    public async Task SchemaIsAppliedExactlyOnceUnderConcurrentFirstOpens()
    {
        // Not idempotent on purpose: every application of it leaves one row behind.
        var counted = new SqliteSchema("counted", "CREATE TABLE IF NOT EXISTS applied (n INTEGER); INSERT INTO applied VALUES (1);");
        using var database = new SqliteDatabase(ConnectionString, [counted]);

        var connections = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Task.Run(() => database.OpenAsync())));
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }

        await using var check = await database.OpenAsync();
        Assert.That(await ScalarAsync<long>(check, "SELECT COUNT(*) FROM applied"), Is.EqualTo(1));
    }

    [Test]
    public async Task SchemasAreAppliedInOrderBeforeTheFirstConnectionIsHandedOut()
    {
        var parent = new SqliteSchema("parent", "CREATE TABLE IF NOT EXISTS parent (id INTEGER PRIMARY KEY);");
        var child = new SqliteSchema("child", "CREATE TABLE IF NOT EXISTS child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id));");
        using var database = new SqliteDatabase(ConnectionString, [parent, child]);

        await using var connection = await database.OpenAsync();

        Assert.That(await ScalarAsync<long>(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('parent', 'child')"), Is.EqualTo(2));
    }

    [Test]
    public async Task HandedOutConnectionsUseWalFullSyncForeignKeysAndABusyTimeout()
    {
        using var database = new SqliteDatabase(ConnectionString, [Notes]);

        await using var connection = await database.OpenAsync();

        var journalMode = await ScalarAsync<string>(connection, "PRAGMA journal_mode");
        var synchronous = await ScalarAsync<long>(connection, "PRAGMA synchronous");
        var foreignKeys = await ScalarAsync<long>(connection, "PRAGMA foreign_keys");
        var busyTimeout = await ScalarAsync<long>(connection, "PRAGMA busy_timeout");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(journalMode, Is.EqualTo("wal"));
            Assert.That(synchronous, Is.EqualTo(2), "2 is FULL");
            Assert.That(foreignKeys, Is.EqualTo(1));
            Assert.That(busyTimeout, Is.GreaterThanOrEqualTo(5000));
        }
    }

    [Test]
    public async Task EverySettingHoldsOnConnectionsOpenedAfterTheSchemaWasApplied()
    {
        using var database = new SqliteDatabase(ConnectionString, [Notes]);
        await (await database.OpenAsync()).DisposeAsync();

        // A pooled connection comes back with the settings of a fresh one.
        await using var connection = await database.OpenAsync();

        var synchronous = await ScalarAsync<long>(connection, "PRAGMA synchronous");
        var foreignKeys = await ScalarAsync<long>(connection, "PRAGMA foreign_keys");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(synchronous, Is.EqualTo(2), "2 is FULL");
            Assert.That(foreignKeys, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task ACommittedRowSurvivesARestart()
    {
        using (var database = new SqliteDatabase(ConnectionString, [Notes]))
        {
            await using var connection = await database.OpenAsync();
            await ExecuteAsync(connection, "INSERT INTO notes (text) VALUES ('kept')");
        }
        SqliteConnection.ClearAllPools();

        using var restarted = new SqliteDatabase(ConnectionString, [Notes]);
        await using var reopened = await restarted.OpenAsync();

        Assert.That(await ScalarAsync<string>(reopened, "SELECT text FROM notes"), Is.EqualTo("kept"));
    }

    [Test]
    public async Task ACommittedRowIsVisibleToAnotherConnectionAtOnce()
    {
        using var database = new SqliteDatabase(ConnectionString, [Notes]);
        await using var writer = await database.OpenAsync();
        await using var reader = await database.OpenAsync();

        await ExecuteAsync(writer, "INSERT INTO notes (text) VALUES ('seen')");

        Assert.That(await ScalarAsync<string>(reader, "SELECT text FROM notes"), Is.EqualTo("seen"));
    }

    [Test]
    public async Task ConcurrentWritersAllSucceed()
    {
        const int Writers = 12;
        const int RowsEach = 25;
        using var database = new SqliteDatabase(ConnectionString, [Notes]);

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (var row = 0; row < RowsEach; row++)
            {
                // A connection per write, as request handlers do.
                await using var connection = await database.OpenAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "INSERT INTO notes (text) VALUES ($text)";
                command.Parameters.AddWithValue("$text", $"{writer}-{row}");
                await command.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
            }
        })));

        await using var check = await database.OpenAsync();
        Assert.That(await ScalarAsync<long>(check, "SELECT COUNT(DISTINCT text) FROM notes"), Is.EqualTo(Writers * RowsEach));
    }

    [Test]
    public void DataSourceIsTheFileOfTheConnectionString()
    {
        using var database = new SqliteDatabase(ConnectionString, []);

        Assert.That(database.DataSource, Is.EqualTo(_folder.File("store.db")));
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
