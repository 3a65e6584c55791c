using Microsoft.Data.Sqlite;

namespace WebIde.Identity.UnitTests.Storage;

/// <summary>A real SQLite file in a temp folder of its own, removed afterwards.</summary>
public sealed class SqliteHarness : IdentityStoreHarness
{
    private string? _folder;

    public override TimeSpan TimePrecision => TimeSpan.FromTicks(1);

    public override string AdapterPrefix => "Sqlite";

    protected override string CreateStore()
    {
        _folder = Directory.CreateTempSubdirectory("webide-identity-store-").FullName;
        return $"Data Source={Path.Combine(_folder, "identity.db")}";
    }

    protected override Task DropStoreAsync(IServiceProvider services)
    {
        // Pooled connections keep the file open.
        SqliteConnection.ClearAllPools();
        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }

        return Task.CompletedTask;
    }
}
