using System.Text;
using Microsoft.Data.Sqlite;
using WebIde.FileSystem.Storage;
using WebIde.Tests.Shared;

namespace WebIde.FileSystem.UnitTests.Files;

/// <summary>
/// Once a workspace is deleted no instance reads its files any more, not even from the
/// shared cache that still held them (service tokens pass no role check that would stop them).
/// </summary>
public sealed class DeletedWorkspaceCacheTests
{
    [Test]
    public async Task AfterTheDeletionNoInstanceReadsTheWorkspacesCachedFiles()
    {
        await using var redis = await LocalRedis.TryStartAsync() ?? throw new IgnoreException("redis-server is not installed here.");
        var folder = Directory.CreateTempSubdirectory("webide-fs-deleted-").FullName;
        try
        {
            var connectionString = $"Data Source={Path.Combine(folder, "filesystem.db")}";
            var deleting = FileSystemInstance.Create(connectionString, redis);
            var other = FileSystemInstance.Create(connectionString, redis);
            var workspace = Guid.NewGuid();
            var kept = Guid.NewGuid();
            foreach (var (id, path) in new[] { (workspace, "src/read.txt"), (workspace, "written.txt"), (kept, "src/read.txt") })
            {
                await deleting.WriteAsync(new FileWrite(id, path, Encoding.UTF8.GetBytes(path), WriteCondition.None, Guid.Empty), CancellationToken.None);
            }
            // Cached by a read on the other instance too, with the generation it saw.
            Assert.That(await other.ReadAsync(workspace, "src/read.txt", CancellationToken.None), Is.Not.Null);

            await deleting.DeleteWorkspaceAsync(workspace, CancellationToken.None);

            Assert.Multiple(async () =>
            {
                Assert.That(await other.ReadAsync(workspace, "src/read.txt", CancellationToken.None), Is.Null);
                Assert.That(await other.ReadAsync(workspace, "written.txt", CancellationToken.None), Is.Null);
                Assert.That(await deleting.ReadAsync(workspace, "written.txt", CancellationToken.None), Is.Null);
                Assert.That(await other.ReadAsync(kept, "src/read.txt", CancellationToken.None), Is.Not.Null, "another workspace's file");
            });
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
