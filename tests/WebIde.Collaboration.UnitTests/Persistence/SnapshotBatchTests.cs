using Grpc.Core;
using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Sockets;
using WebIde.Collaboration.UnitTests.Support;
using WebIde.Contracts.FileSystem.V1;

namespace WebIde.Collaboration.UnitTests.Persistence;

/// <summary>Snapshots: every due document of the instance written to its file in one call to filesystem, each with its own outcome.</summary>
public sealed class SnapshotBatchTests : RedisFixture
{
    [Test]
    public async Task SeveralDocumentsAreWrittenInOneCallEachAtItsOwnVersionAndText()
    {
        var files = new RecordingFiles();
        await using var instance = new CollaborationInstance(Redis.Connection, files: files);
        var documents = new List<OpenDocument>();
        foreach (var letter in new[] { "a", "b", "c" })
        {
            documents.Add(await TypedAsync(instance, letter));
        }

        await instance.Hub.PersistAsync(documents, now: true, CancellationToken.None);
        await instance.Hub.PersistAsync(documents, now: true, CancellationToken.None);

        Assert.That(files.Calls, Has.Count.EqualTo(1), "one call for the three documents, and none once they are written");
        var written = files.Calls[0].Files;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(written.Select(file => file.Content.ToStringUtf8()), Is.EquivalentTo(new[] { "aabc", "babc", "cabc" }));
            Assert.That(written.Select(file => file.ExpectedVersion), Is.All.EqualTo(1));
            foreach (var document in documents)
            {
                Assert.That((await instance.Store.OwnerAsync(document.Key))!.Value.FileVersion, Is.EqualTo(2), "Redis knows the file holds the document now");
            }
        }
    }

    [Test]
    public async Task AWriteThatFailsIsTriedAgainAloneAndAGoneFileDropsItsDocument()
    {
        var files = new RecordingFiles();
        await using var instance = new CollaborationInstance(Redis.Connection, files: files);
        var failing = await TypedAsync(instance, "a");
        var gone = await TypedAsync(instance, "b");
        var fine = await TypedAsync(instance, "c");
        files.Answer = request => request.WorkspaceId == failing.Key.WorkspaceId.ToString("D") ? RecordingFiles.Refused(StatusCode.Unavailable)
            : request.WorkspaceId == gone.Key.WorkspaceId.ToString("D") ? RecordingFiles.Refused(StatusCode.NotFound)
            : RecordingFiles.Written(request);

        await instance.Hub.PersistAsync([failing, gone, fine], now: true, CancellationToken.None);
        files.Answer = RecordingFiles.Written;
        await instance.Hub.PersistAsync([failing, gone, fine], now: true, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(files.Calls, Has.Count.EqualTo(2));
            Assert.That(files.Calls[0].Files, Has.Count.EqualTo(3));
            Assert.That(files.Calls[1].Files.Select(file => file.WorkspaceId), Is.EqualTo(new[] { failing.Key.WorkspaceId.ToString("D") }),
                "only the write that failed is tried again");
            Assert.That((await instance.Store.OwnerAsync(failing.Key))!.Value.FileVersion, Is.EqualTo(2));
            Assert.That(await instance.Store.OwnerAsync(gone.Key), Is.Null, "a gone file's live state is dropped");
            Assert.That(instance.Hub.TryGet(gone.Key, out _), Is.False);
        }
    }

    [Test]
    public async Task ManyOrLargeWritesAreSplitIntoCallsFilesystemTakesKeepingTheirOrder()
    {
        var files = new RecordingFiles();
        var source = new FileSource(files);
        var small = Enumerable.Range(0, FilesLimits.MaxWritesPerCall + 1)
            .Select(i => new SnapshotWrite(NewKey(), $"file {i}", 1, Guid.NewGuid()));
        var large = Enumerable.Range(0, 3)
            .Select(i => new SnapshotWrite(NewKey(), new string((char)('x' + i), FileSource.MaxBytesPerCall / 2 + 1), 1, Guid.NewGuid()));
        List<SnapshotWrite> writes = [.. small, .. large];

        var results = await source.WriteManyAsync(writes, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(files.Calls.Select(call => call.Files.Count), Is.EqualTo(new[] { FilesLimits.MaxWritesPerCall, 2, 1, 1 }),
                "256 writes, then the 257th with one large file (another would pass the byte limit), then one large file a call");
            Assert.That(files.Calls.SelectMany(call => call.Files).Select(file => file.Path + file.Content.ToStringUtf8()),
                Is.EqualTo(writes.Select(write => write.Key.Path + write.Text)), "every write once, in order");
            Assert.That(results, Has.Count.EqualTo(writes.Count));
            Assert.That(results.Select(result => result.Version), Is.All.EqualTo(2));
        }
    }

    /// <summary>A document at "abc" (file version 1) with <paramref name="letter"/> typed at its start, stored in Redis.</summary>
    private static async Task<OpenDocument> TypedAsync(CollaborationInstance instance, string letter)
    {
        var key = NewKey();
        await CollaborationInstance.CreateAsync(instance.Store, key, "abc");
        var (editor, document) = await instance.JoinAsync(key);
        await editor.NextAsync("joined");
        document.Submit(editor, Op(key, 0, $"{letter}-1", Ops.Insert(3, 0, letter)));
        await editor.NextAsync("ack");
        document.Leave(editor);
        return document;
    }
}
