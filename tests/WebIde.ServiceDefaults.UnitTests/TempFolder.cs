using Microsoft.Data.Sqlite;

namespace WebIde.ServiceDefaults.UnitTests;

/// <summary>A fresh folder under the temp directory, removed with everything in it.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("webide-unit-").FullName;

    public string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        // Pooled SQLite connections keep their files open.
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }
}
