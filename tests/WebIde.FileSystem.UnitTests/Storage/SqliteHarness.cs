using Microsoft.Data.Sqlite;
using WebIde.Tests.Shared;

namespace WebIde.FileSystem.UnitTests.Storage;

/// <summary>A real SQLite file in a temp folder of its own, removed afterwards.</summary>
public sealed class SqliteHarness : FileStoreHarness
{
    private readonly SqliteStoreFolder _store = new("filesystem");

    public override string AdapterPrefix => "Sqlite";

    private string? _connectionString;

    protected override string CreateStore() => _connectionString = _store.Create();

    public override async Task<byte[]?> ReadStoredContentAsync(Guid workspaceId, string path)
    {
        await using var connection = await OpenAsync();
        await using var command = ContentCommand(connection, "SELECT content FROM entries WHERE workspace_id = @workspace AND path = @path", workspaceId, path);
        return await command.ExecuteScalarAsync() as byte[];
    }

    public override async Task WriteStoredContentAsync(Guid workspaceId, string path, byte[] stored)
    {
        await using var connection = await OpenAsync();
        await using var command = ContentCommand(connection, "UPDATE entries SET content = @content WHERE workspace_id = @workspace AND path = @path", workspaceId, path);
        command.Parameters.AddWithValue("@content", stored);
        Assert.That(await command.ExecuteNonQueryAsync(), Is.EqualTo(1), $"no stored file {path}");
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(_connectionString ?? throw new InvalidOperationException("Not started."));
        await connection.OpenAsync();
        return connection;
    }

    private static SqliteCommand ContentCommand(SqliteConnection connection, string sql, Guid workspaceId, string path)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@workspace", workspaceId.ToString("D"));
        command.Parameters.AddWithValue("@path", path);
        return command;
    }

    protected override Task DropStoreAsync(IServiceProvider services)
    {
        _store.Drop();
        return Task.CompletedTask;
    }
}
