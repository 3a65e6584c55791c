using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebIde.FileSystem.Events;
using WebIde.FileSystem.Files;
using WebIde.FileSystem.Storage.Sqlite;
using WebIde.ServiceDefaults.Storage;
using WebIde.Tests.Shared;

namespace WebIde.FileSystem.UnitTests.Files;

/// <summary>What one filesystem instance serves files with; several over one SQLite file and one Redis are a scaled-out service.</summary>
public static class FileSystemInstance
{
    public static WorkspaceFiles Create(string connectionString, LocalRedis redis, FileLimits? limits = null)
    {
        var store = new SqliteFileStore(new SqliteDatabase(connectionString, [SqliteFileStore.Schema]), Options.Create(limits ?? new FileLimits()), TimeProvider.System);
        return new WorkspaceFiles(store, new FileCache(redis.Connection, NullLogger<FileCache>.Instance), new ChangeFeed(redis.Connection, NullLogger<ChangeFeed>.Instance));
    }
}
