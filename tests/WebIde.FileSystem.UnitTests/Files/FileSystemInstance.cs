using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebIde.FileSystem.Events;
using WebIde.FileSystem.Files;
using WebIde.FileSystem.Storage;
using WebIde.FileSystem.Storage.Sqlite;
using WebIde.ServiceDefaults.Encryption;
using WebIde.ServiceDefaults.Storage;
using WebIde.Tests.Shared;

namespace WebIde.FileSystem.UnitTests.Files;

/// <summary>What one filesystem instance serves files with; several over one SQLite file and one Redis are a scaled-out service.</summary>
public static class FileSystemInstance
{
    /// <summary>One key ring for every instance, as the platform gives every instance the same.</summary>
    public static readonly ContentCipher Cipher = ContentCipher.Throwaway();

    public static WorkspaceFiles Create(string connectionString, LocalRedis redis, FileLimits? limits = null)
    {
        var store = new SqliteFileStore(new SqliteDatabase(connectionString, [SqliteFileStore.Schema]), Options.Create(limits ?? new FileLimits()), TimeProvider.System, new StoredContent(Cipher));
        return new WorkspaceFiles(store, new FileCache(redis.Connection, Cipher, NullLogger<FileCache>.Instance), new ChangeFeed(redis.Connection, NullLogger<ChangeFeed>.Instance));
    }
}
