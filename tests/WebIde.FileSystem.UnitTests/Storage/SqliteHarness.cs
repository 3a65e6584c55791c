using Microsoft.Data.Sqlite;

namespace WebIde.FileSystem.UnitTests.Storage;

/// <summary>A real SQLite file in a temp folder of its own, removed afterwards.</summary>
public sealed class SqliteHarness : FileStoreHarness
{
    private string? _folder;

    public override string AdapterPrefix => "Sqlite";

    protected override string CreateStore()
    {
        _folder = Directory.CreateTempSubdirectory("webide-filesystem-store-").FullName;
        return $"Data Source={Path.Combine(_folder, "filesystem.db")}";
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
