using System.Text;
using Microsoft.Data.Sqlite;
using WebIde.FileSystem.Files;
using WebIde.FileSystem.Storage;
using WebIde.Tests.Shared;

namespace WebIde.FileSystem.UnitTests.Files;

/// <summary>
/// Two filesystem instances over one store and one Redis, as when the service is scaled out:
/// once a write through one has returned, a read through the other never answers older bytes,
/// even while others keep reading (and offering to the cache) as fast as it can.
/// </summary>
public sealed class CrossInstanceReadTests
{
    private const int Writes = 500;
    private const int Bystanders = 4;

    [Test]
    public async Task NoReadAfterAReturnedWriteIsStaleOnAnyInstance()
    {
        await using var redis = await LocalRedis.TryStartAsync() ?? throw new IgnoreException("redis-server is not installed here.");
        var folder = Directory.CreateTempSubdirectory("webide-fs-instances-").FullName;
        try
        {
            var connectionString = $"Data Source={Path.Combine(folder, "filesystem.db")}";
            var writer = FileSystemInstance.Create(connectionString, redis);
            var reader = FileSystemInstance.Create(connectionString, redis);
            var bystanders = Enumerable.Range(0, Bystanders).Select(_ => FileSystemInstance.Create(connectionString, redis)).ToList();
            var workspace = Guid.NewGuid();
            await writer.WriteAsync(new FileWrite(workspace, "hot.txt", Encoding.UTF8.GetBytes("0"), WriteCondition.None, Guid.Empty), CancellationToken.None);

            using var stop = new CancellationTokenSource();
            var hammering = bystanders.Select(bystander => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await bystander.ReadAsync(workspace, "hot.txt", CancellationToken.None);
                }
            })).ToList();
            // Entries also vanish on their own (expiry, eviction): then readers go to the store
            // and offer what they read, racing the writer.
            hammering.Add(Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await redis.Connection.GetDatabase().KeyDeleteAsync(FileCache.Key(workspace, "hot.txt"));
                }
            }));

            var stale = new List<string>();
            for (var write = 1; write <= Writes; write++)
            {
                var text = write.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await writer.WriteAsync(new FileWrite(workspace, "hot.txt", Encoding.UTF8.GetBytes(text), WriteCondition.None, Guid.Empty), CancellationToken.None);
                var read = await reader.ReadAsync(workspace, "hot.txt", CancellationToken.None);
                var seen = Encoding.UTF8.GetString(read!.Content);
                if (seen != text)
                {
                    stale.Add($"wrote {text}, read {seen}");
                }
            }

            await stop.CancelAsync();
            await Task.WhenAll(hammering);
            Assert.That(stale, Is.Empty);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
