using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebIde.Identity.Storage;
using WebIde.Identity.Storage.Sqlite;
using WebIde.Identity.Tokens;
using WebIde.ServiceDefaults.Storage;

namespace WebIde.Identity.UnitTests.Tokens;

/// <summary>
/// A real SQLite file in a temp folder of its own. Every <see cref="OpenRing"/> opens the file
/// afresh, as another identity process (or the same one after a restart) would.
/// </summary>
public sealed class KeyStoreFile : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("webide-signing-keys-").FullName;
    private readonly List<IDisposable> _opened = [];

    // The installation's content key outlives a restart, as the key ring file does.
    private readonly StoredPrivateKey _privateKeys = StoredPrivateKey.Throwaway();

    public string Path => System.IO.Path.Combine(_folder, "identity.db");

    public static TokenOptions Options() => new()
    {
        AccessTokenLifetime = TimeSpan.FromMinutes(15),
        KeyRotationPeriod = TimeSpan.FromDays(1),
        KeyPublishAhead = TimeSpan.FromHours(1),
    };

    public SqliteSigningKeyStore OpenStore()
    {
        var database = new SqliteDatabase($"Data Source={Path}", [SqliteSigningKeyStore.Schema]);
        _opened.Add(database);
        return new SqliteSigningKeyStore(database, _privateKeys);
    }

    public SigningKeyRing OpenRing(TimeProvider time, TokenOptions? options = null)
    {
        var ring = new SigningKeyRing(OpenStore(), Microsoft.Extensions.Options.Options.Create(options ?? Options()), time, NullLogger<SigningKeyRing>.Instance);
        _opened.Add(ring);
        return ring;
    }

    /// <summary>Closes what one process had open, so the next ring starts from the file alone.</summary>
    public void Restart()
    {
        foreach (var opened in _opened)
        {
            opened.Dispose();
        }
        _opened.Clear();
        SqliteConnection.ClearAllPools();
    }

    public void Dispose()
    {
        Restart();
        Directory.Delete(_folder, recursive: true);
    }
}
