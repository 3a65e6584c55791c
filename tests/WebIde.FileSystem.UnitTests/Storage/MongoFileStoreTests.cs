using System.Text;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using WebIde.FileSystem.Files;
using WebIde.FileSystem.Storage;
using WebIde.FileSystem.Storage.Mongo;
using WebIde.FileSystem.UnitTests.Storage.MongoEmulator;
using WebIde.Tests.Shared;

namespace WebIde.FileSystem.UnitTests.Storage;

/// <summary>
/// What the MongoDB adapter does beyond the port's contract because it has no transactions: a
/// workspace left mid-change by a holder that died, a lease held by one that stalled, a clock
/// that steps back. Over the in-memory emulator, with the workspace's document edited by hand
/// to stage what a crash leaves behind. Each test has a database, a workspace and a clock of its own.
/// </summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class MongoFileStoreTests
{
    private static readonly Guid User = Guid.Parse("0b5c2e9a-4f3d-4e21-9a8b-7c6d5e4f3a21");
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly ManualTime _clock = new(FileStoreHarness.Epoch);
    private readonly IMongoDatabase _database = EmulatedMongoDatabase.Create();
    private readonly Guid _workspace = Guid.NewGuid();

    private IMongoCollection<BsonDocument> Workspaces => _database.GetCollection<BsonDocument>(MongoFileDocuments.WorkspacesCollection);

    private IMongoCollection<BsonDocument> Changes => _database.GetCollection<BsonDocument>(MongoFileDocuments.ChangesCollection);

    [Test]
    public async Task TheNextChangeAfterACrashRecountsTheWorkspaceAndGoesOnNumbering()
    {
        var store = NewStore();
        await WriteAsync(store, "a.txt", "12345");
        await WriteAsync(store, "d/b.txt", "123");
        // What a crash after logging change 4 and before releasing leaves: the log ahead of the
        // counters, the counters wrong, the lease still on and run out.
        await Changes.InsertOneAsync(MongoFileDocuments.ToChangeDocument(
            new FileChange(_workspace, 4, ChangeType.Changed, EntryType.File, "a.txt", null, 2, 5, User, _clock.Now)));
        await EditWorkspaceAsync(Builders<BsonDocument>.Update
            .Set("bytes", 9_999L).Set("entries", 1L).Set("lastSequence", 3L)
            .Set("leaseOwner", "crashed").Set("leaseUntil", new BsonDateTime(_clock.Now.AddSeconds(-1).ToUnixTimeMilliseconds())));

        var written = await WriteAsync(store, "c.txt", "xy");

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(written.Status, Is.EqualTo(MutationStatus.Done), written.Detail);
            Assert.That(written.Change?.Sequence, Is.EqualTo(5), "after the logged change, not over it");
            Assert.That(await store.GetUsageAsync(_workspace, None), Is.EqualTo(new WorkspaceUsage(5 + 3 + 2, 4)));
            Assert.That((await store.ReadChangesAsync(_workspace, 0, 100, None)).Changes.Select(change => change.Sequence), Is.EqualTo(new long[] { 1, 2, 3, 4, 5 }));
            Assert.That(await ReadWorkspaceAsync(), Does.Not.Contain("leaseOwner").And.Not.Contain("needsRepair"));
        });
    }

    [Test]
    public async Task AWorkspaceFlaggedByAFailedChangeIsRecountedAtOnce()
    {
        var store = NewStore();
        await WriteAsync(store, "a.txt", "12345");
        await EditWorkspaceAsync(Builders<BsonDocument>.Update.Set("bytes", -7L).Set("needsRepair", true));

        await WriteAsync(store, "b.txt", "1");

        Assert.That(await store.GetUsageAsync(_workspace, None), Is.EqualTo(new WorkspaceUsage(6, 2)));
        Assert.That(await ReadWorkspaceAsync(), Does.Not.Contain("needsRepair"));
    }

    [Test]
    public async Task AHeldLeaseIsWaitedOutThenTakenOver()
    {
        var store = NewStore();
        await WriteAsync(store, "a.txt", "12345");
        await EditWorkspaceAsync(Builders<BsonDocument>.Update
            .Set("bytes", 0L)
            .Set("leaseOwner", "stalled").Set("leaseUntil", new BsonDateTime(_clock.Now.AddSeconds(30).ToUnixTimeMilliseconds())));

        var waiting = WriteAsync(store, "b.txt", "1");
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.That(waiting.IsCompleted, Is.False, "the lease has 30 s to run");
        _clock.Advance(TimeSpan.FromSeconds(31));
        var written = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(written.Status, Is.EqualTo(MutationStatus.Done));
        Assert.That(await store.GetUsageAsync(_workspace, None), Is.EqualTo(new WorkspaceUsage(6, 2)), "a lease that ran out is repaired");
    }

    [Test]
    public async Task AClockSteppingBackHoldsAWorkspacesChangeTimesAtTheLastOne()
    {
        var store = NewStore();
        var other = Guid.NewGuid();
        _clock.Advance(TimeSpan.FromHours(1));
        var first = await WriteAsync(store, "a.txt", "1");
        _clock.Advance(TimeSpan.FromHours(-1));

        var second = await WriteAsync(store, "b.txt", "2");
        var elsewhere = await store.WriteFileAsync(new FileWrite(other, "c.txt", Encoding.UTF8.GetBytes("3"), WriteCondition.None, User), None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(second.Change?.At, Is.EqualTo(first.Change?.At));
            Assert.That((await store.ReadFileAsync(_workspace, "b.txt", None))?.ModifiedAt, Is.EqualTo(first.Change?.At));
            Assert.That(elsewhere.Change?.At, Is.EqualTo(_clock.Now), "another workspace has its own last change");
            Assert.That((await store.ReadUnpublishedChangesAsync(10, None)).Where(change => change.WorkspaceId == _workspace).Select(change => change.Sequence),
                Is.EqualTo(new long[] { 1, 2 }));
        });
    }

    [Test]
    public async Task AFileLargerThanADocumentHoldsIsRefusedWhateverTheLimitSays()
    {
        var store = NewStore(new FileLimits { MaxFileBytes = 64L * 1024 * 1024, MaxWorkspaceBytes = 1L << 40 });
        var content = new byte[MongoFileStore.MaxContentBytes + 1];

        var refused = await store.WriteFileAsync(new FileWrite(_workspace, "huge.bin", content, WriteCondition.None, User), None);

        Assert.That(refused.Status, Is.EqualTo(MutationStatus.QuotaExceeded));
        Assert.That(refused.Detail, Does.Contain($"{MongoFileStore.MaxContentBytes}"));
        Assert.That(await store.ListTreeAsync(_workspace, None), Is.Empty);
    }

    [Test]
    public async Task EveryChangeReleasesItsLeaseWhetherDoneOrRefused()
    {
        var store = NewStore();

        await WriteAsync(store, "a.txt", "1");
        var refused = await WriteAsync(store, "a.txt/b.txt", "2");
        var unchanged = await store.CreateDirectoryAsync(_workspace, "dir", User, None);
        await store.CreateDirectoryAsync(_workspace, "dir", User, None);

        Assert.That(refused.Status, Is.EqualTo(MutationStatus.Conflict));
        Assert.That(unchanged.Status, Is.EqualTo(MutationStatus.Done));
        Assert.That(await ReadWorkspaceAsync(), Is.EqualTo(new BsonDocument
        {
            { "_id", _workspace.ToString("D") },
            { "lastSequence", new BsonInt64(2) },
            { "bytes", new BsonInt64(1) },
            { "entries", new BsonInt64(2) },
            { "lastChangeAt", new BsonDateTime(_clock.Now.ToUnixTimeMilliseconds()) },
        }));
    }

    private MongoFileStore NewStore(FileLimits? limits = null) =>
        new(_database, Options.Create(limits ?? new FileLimits()), _clock, StoredContent.Throwaway());

    private Task<FileMutation> WriteAsync(MongoFileStore store, string path, string content) =>
        store.WriteFileAsync(new FileWrite(_workspace, path, Encoding.UTF8.GetBytes(content), WriteCondition.None, User), None);

    private Task EditWorkspaceAsync(UpdateDefinition<BsonDocument> update) =>
        Workspaces.UpdateOneAsync(Builders<BsonDocument>.Filter.Eq("_id", _workspace.ToString("D")), update);

    private async Task<BsonDocument> ReadWorkspaceAsync() =>
        await Workspaces.Find(Builders<BsonDocument>.Filter.Eq("_id", _workspace.ToString("D"))).SingleAsync();
}
