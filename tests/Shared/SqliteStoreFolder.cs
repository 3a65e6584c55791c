using Microsoft.Data.Sqlite;

namespace WebIde.Tests.Shared;

/// <summary>A service's SQLite store as a real file in a temp folder of its own, removed afterwards.</summary>
public sealed class SqliteStoreFolder(string service)
{
    private string? _folder;

    /// <summary>Makes the folder and returns the store's connection string.</summary>
    public string Create()
    {
        _folder = Directory.CreateTempSubdirectory($"webide-{service}-store-").FullName;
        return $"Data Source={Path.Combine(_folder, $"{service}.db")}";
    }

    public void Drop()
    {
        // Pooled connections keep the file open.
        SqliteConnection.ClearAllPools();
        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
