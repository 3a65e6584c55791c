using System.Security.Cryptography;
using System.Text;
using WebIde.FileSystem.Storage;
using WebIde.ServiceDefaults.Encryption;

namespace WebIde.FileSystem.UnitTests.Storage;

/// <summary>
/// Every adapter keeps file content sealed (docs/api.md §7): what lies in its database is not
/// the content, while everything the port answers (content, sizes, quota, versions) is as
/// before. Content an earlier version stored in the clear is still read.
/// </summary>
[TestFixtureSource(typeof(FileStoreHarness), nameof(FileStoreHarness.Reachable))]
public sealed class FileStoreEncryptionContract(FileStoreHarness harness)
{
    private static readonly Guid Alice = Guid.Parse("0b5c2e9a-4f3d-4e21-9a8b-7c6d5e4f3a21");
    private static readonly CancellationToken None = CancellationToken.None;

    private IFileStore Store => harness.Store;

    [OneTimeSetUp]
    public Task StartAsync() => harness.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await harness.DisposeAsync();

    [Test]
    public async Task ContentIsSealedAtRestWhileSizesAndQuotaCountTheContent()
    {
        var workspace = Guid.NewGuid();
        var content = Marked("a secret that never lies in the clear");

        var written = await WriteAsync(workspace, "src/secret.py", content);

        var stored = await harness.ReadStoredContentAsync(workspace, "src/secret.py");
        Assert.Multiple(async () =>
        {
            Assert.That(written.Change!.Size, Is.EqualTo(content.Length));
            Assert.That(stored, Is.Not.Null);
            Assert.That(ContentCipher.IsSealed(stored), Is.True);
            Assert.That(stored!.AsSpan().IndexOf(content.AsSpan(0, 16)), Is.EqualTo(-1), "the content is not in the store in the clear");
            Assert.That(stored, Has.Length.EqualTo(content.Length + ContentCipher.Overhead));
            Assert.That((await Store.ReadFileAsync(workspace, "src/secret.py", None))!.Content, Is.EqualTo(content));
            Assert.That((await Store.ListTreeAsync(workspace, None)).Single(entry => entry.Type == EntryType.File).Size, Is.EqualTo(content.Length));
            Assert.That((await Store.GetUsageAsync(workspace, None)).Bytes, Is.EqualTo(content.Length));
        });
    }

    [Test]
    public async Task AFileAtTheSizeLimitFitsThoughItsSealedFormIsLarger()
    {
        var workspace = Guid.NewGuid();
        var content = new byte[FileStoreHarness.Limits.MaxFileBytes];

        var written = await WriteAsync(workspace, "full.bin", content);

        Assert.That(written.Status, Is.EqualTo(MutationStatus.Done));
        Assert.That((await Store.ReadFileAsync(workspace, "full.bin", None))!.Content, Is.EqualTo(content));
    }

    [Test]
    public async Task AMovedFileStaysSealedAndReadable()
    {
        var workspace = Guid.NewGuid();
        var content = Marked("moved along");
        await WriteAsync(workspace, "dir/a.txt", content);

        var moved = await Store.MoveAsync(workspace, "dir", "elsewhere", overwrite: false, Alice, None);

        Assert.That(moved.Status, Is.EqualTo(MutationStatus.Done));
        Assert.That(ContentCipher.IsSealed(await harness.ReadStoredContentAsync(workspace, "elsewhere/a.txt")), Is.True);
        Assert.That((await Store.ReadFileAsync(workspace, "elsewhere/a.txt", None))!.Content, Is.EqualTo(content));
        Assert.That((await Store.ListTreeAsync(workspace, None)).Single(entry => entry.Path == "elsewhere/a.txt").Size, Is.EqualTo(content.Length));
    }

    [Test]
    public async Task ContentStoredInTheClearByAnEarlierVersionIsReadAndSealedWhenNextWritten()
    {
        var workspace = Guid.NewGuid();
        await WriteAsync(workspace, "old.txt", Marked("placeholder"));
        var legacy = Encoding.UTF8.GetBytes("written before encryption at rest");
        await harness.WriteStoredContentAsync(workspace, "old.txt", legacy);

        var read = await Store.ReadFileAsync(workspace, "old.txt", None);
        var all = await Store.ReadAllFilesAsync(workspace, None).ToListAsync();
        await WriteAsync(workspace, "old.txt", legacy);

        Assert.That(read!.Content, Is.EqualTo(legacy));
        Assert.That(all.Single().Content, Is.EqualTo(legacy));
        Assert.That(ContentCipher.IsSealed(await harness.ReadStoredContentAsync(workspace, "old.txt")), Is.True, "sealed on its next write");
    }

    [Test]
    public async Task ContentChangedAtRestIsRefusedRatherThanServed()
    {
        var workspace = Guid.NewGuid();
        await WriteAsync(workspace, "a.txt", Marked("intact"));
        var stored = (await harness.ReadStoredContentAsync(workspace, "a.txt"))!;
        stored[^1] ^= 0x01;
        await harness.WriteStoredContentAsync(workspace, "a.txt", stored);

        Assert.That(() => Store.ReadFileAsync(workspace, "a.txt", None), Throws.InstanceOf<CryptographicException>());
    }

    private Task<FileMutation> WriteAsync(Guid workspace, string path, byte[] content) =>
        Store.WriteFileAsync(new FileWrite(workspace, path, content, WriteCondition.None, Alice), None);

    private static byte[] Marked(string text) => Encoding.UTF8.GetBytes($"{Guid.NewGuid():N} {text}");
}
