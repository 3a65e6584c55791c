using Microsoft.Data.Sqlite;
using WebIde.Tests.Shared;

namespace WebIde.Identity.UnitTests.Storage;

/// <summary>A real SQLite file in a temp folder of its own, removed afterwards.</summary>
public sealed class SqliteHarness : IdentityStoreHarness
{
    private readonly SqliteStoreFolder _store = new("identity");

    public override string AdapterPrefix => "Sqlite";

    public override TimeSpan TimePrecision => TimeSpan.FromTicks(1);

    private string? _connectionString;

    protected override string CreateStore() => _connectionString = _store.Create();

    public override async Task<byte[]?> ReadStoredPrivateKeyAsync(string keyId)
    {
        await using var connection = new SqliteConnection(_connectionString ?? throw new InvalidOperationException("Not started."));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT private_key_pkcs8 FROM signing_keys WHERE key_id = @keyId";
        command.Parameters.AddWithValue("@keyId", keyId);
        return await command.ExecuteScalarAsync() as byte[];
    }

    protected override Task DropStoreAsync(IServiceProvider services)
    {
        _store.Drop();
        return Task.CompletedTask;
    }
}
