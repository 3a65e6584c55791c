using System.Net;
using System.Text.Json;

namespace WebIde.IntegrationTests.Files;

/// <summary>
/// docs/api.md §3: the limits, with the test platform's quotas (<see cref="FileQuota"/>): the change
/// that would cross one is 413 and leaves everything as it was; what stays within is allowed.
/// </summary>
public sealed class QuotaTests
{
    private static byte[] Bytes(long length, byte seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task<Dictionary<string, string>> SnapshotAsync(FileWorkspace workspace) =>
        (await workspace.TreeAsync()).ToDictionary(entry => entry.Key, entry => Describe(entry.Value));

    private static string Describe(JsonElement entry) =>
        entry.TryGetProperty("version", out var version) ? $"v{version} {entry.GetProperty("size")} bytes" : "dir";

    [Test]
    [Category(HostileCategories.Suite), Category(HostileCategories.Http)]
    public async Task AFileOfExactlyTheLimitIsAcceptedAndOneByteMoreIs413()
    {
        using var workspace = await FileWorkspace.CreateAsync("quota");
        var exact = Bytes(FileQuota.FileBytes, 1);

        using var accepted = await workspace.PutAsync("exact.bin", exact);
        var before = await SnapshotAsync(workspace);
        using var tooBigNew = await workspace.PutAsync("over.bin", Bytes(FileQuota.FileBytes + 1, 2));
        using var tooBigReplacement = await workspace.PutAsync("exact.bin", Bytes(FileQuota.FileBytes + 1, 3));
        // Without a Content-Length the limit can only be found by counting what arrives.
        using var tooBigChunked = await workspace.PutAsync("chunked.bin", Bytes(FileQuota.FileBytes + 1, 4), headers => headers.TransferEncodingChunked = true);
        var after = await SnapshotAsync(workspace);

        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await Problems.AssertAsync(tooBigNew, HttpStatusCode.RequestEntityTooLarge, "a new file one byte over");
        await Problems.AssertAsync(tooBigReplacement, HttpStatusCode.RequestEntityTooLarge, "a replacement one byte over");
        await Problems.AssertAsync(tooBigChunked, HttpStatusCode.RequestEntityTooLarge, "a chunked upload one byte over");
        Assert.That(after, Is.EquivalentTo(before));
        Assert.That(await workspace.ReadBytesAsync("exact.bin"), Is.EqualTo(exact));
    }

    [Test]
    [Category(HostileCategories.Suite), Category(HostileCategories.Http)]
    public async Task TheWorkspaceByteQuotaRefusesTheWriteThatWouldCrossItButAllowsReplacingAndShrinking()
    {
        using var workspace = await FileWorkspace.CreateAsync("quota");
        var fiveMiB = FileQuota.FileBytes;

        using var first = await workspace.PutAsync("one.bin", Bytes(fiveMiB, 1));
        using var second = await workspace.PutAsync("two.bin", Bytes(fiveMiB, 2));
        var full = await SnapshotAsync(workspace);
        using var third = await workspace.PutAsync("three.bin", Bytes(fiveMiB, 3));
        using var thirdInNewFolder = await workspace.PutAsync("new/three.bin", Bytes(fiveMiB, 3));
        var afterRefusals = await SnapshotAsync(workspace);
        // Replacing a file counts only the difference: the same size again fits.
        var replacement = Bytes(fiveMiB, 4);
        using var replaced = await workspace.PutAsync("one.bin", replacement);
        using var shrunk = await workspace.PutAsync("two.bin", Bytes(1024, 5));
        using var thirdAfterShrinking = await workspace.PutAsync("three.bin", Bytes(fiveMiB, 3));

        Assert.That(new[] { first.StatusCode, second.StatusCode }, Has.All.EqualTo(HttpStatusCode.Created));
        await Problems.AssertAsync(third, HttpStatusCode.RequestEntityTooLarge, "the third 5 MiB file");
        await Problems.AssertAsync(thirdInNewFolder, HttpStatusCode.RequestEntityTooLarge, "the third 5 MiB file, in a new folder");
        Assert.Multiple(() =>
        {
            Assert.That(afterRefusals, Is.EquivalentTo(full), "a refused write must create nothing, not even its folder");
            Assert.That(replaced.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(shrunk.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(thirdAfterShrinking.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        });
        Assert.That(await workspace.ReadBytesAsync("one.bin"), Is.EqualTo(replacement));
    }

    [Test]
    [Category(HostileCategories.Suite), Category(HostileCategories.Http)]
    public async Task TheEntryQuotaCountsDirectoriesAndRefusesTheChangeThatWouldCrossIt()
    {
        using var workspace = await FileWorkspace.CreateAsync("quota");
        var existing = (await workspace.TreeAsync()).Count;
        // One call can make hundreds of entries: "d/d/d/…" is one directory per segment.
        var depth = FileQuota.WorkspaceEntries - existing - 3;
        using (var deep = await workspace.MakeDirectoryAsync(string.Join('/', Enumerable.Repeat("d", depth))))
        {
            Assert.That(deep.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }
        var almostFull = await SnapshotAsync(workspace);

        using var fourMore = await workspace.PutTextAsync("p/q/s/t.txt", "x");
        var afterFourMore = await SnapshotAsync(workspace);
        using var threeMore = await workspace.PutTextAsync("p/q/r.txt", "x");
        var full = await SnapshotAsync(workspace);
        using var newFile = await workspace.PutTextAsync("new.txt", "x");
        using var newDirectory = await workspace.MakeDirectoryAsync("newdir");
        using var moveIntoNewFolder = await workspace.MoveAsync("main.py", "newdir/main.py");
        var afterRefusals = await SnapshotAsync(workspace);
        using var update = await workspace.PutTextAsync("README.md", "still fits: no new entry");
        using var rename = await workspace.MoveAsync("main.py", "app.py");
        using var deleted = await workspace.DeleteAsync("p/q/r.txt");
        using var afterDelete = await workspace.PutTextAsync("new.txt", "x");

        await Problems.AssertAsync(fourMore, HttpStatusCode.RequestEntityTooLarge, "four entries where three are left");
        await Problems.AssertAsync(newFile, HttpStatusCode.RequestEntityTooLarge, "a file when full");
        await Problems.AssertAsync(newDirectory, HttpStatusCode.RequestEntityTooLarge, "a directory when full");
        await Problems.AssertAsync(moveIntoNewFolder, HttpStatusCode.RequestEntityTooLarge, "a move that needs a new folder when full");
        Assert.Multiple(() =>
        {
            Assert.That(almostFull, Has.Count.EqualTo(FileQuota.WorkspaceEntries - 3));
            Assert.That(afterFourMore, Is.EquivalentTo(almostFull), "a refused write must create none of its folders");
            Assert.That(threeMore.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(full, Has.Count.EqualTo(FileQuota.WorkspaceEntries));
            Assert.That(afterRefusals, Is.EquivalentTo(full));
            Assert.That(update.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(rename.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(afterDelete.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        });
    }
}
