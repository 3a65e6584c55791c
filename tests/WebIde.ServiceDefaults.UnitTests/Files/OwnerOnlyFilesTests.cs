using System.Runtime.Versioning;
using WebIde.ServiceDefaults.Encryption;
using WebIde.ServiceDefaults.Files;

namespace WebIde.ServiceDefaults.UnitTests.Files;

/// <summary>
/// The AppHost (root in production) rewrites files it handed to the services' user: the content key ring at
/// rotation, the gateway's TLS key at renewal. The rewritten file must stay that user's, or the service is locked out.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class OwnerOnlyFilesTests
{
    /// <summary>Someone else than root: the user nobody exists on every Debian.</summary>
    private static readonly FileOwner Nobody = new(65534, 65534);

    private TempFolder _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TempFolder();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    [Test]
    public void ARewriteByRootKeepsTheFilesOwner()
    {
        RequireRoot();
        var file = _folder.File("server.key");
        OwnerOnlyFiles.WriteSecret(file, "first");
        Nobody.Apply(file);

        OwnerOnlyFiles.WriteSecret(file, "second");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(FileOwner.Of(file), Is.EqualTo(Nobody));
            Assert.That(File.ReadAllText(file), Is.EqualTo("second"));
            Assert.That(File.GetUnixFileMode(file), Is.EqualTo(OwnerOnlyFiles.SecretMode));
            Assert.That(Directory.GetFiles(_folder.Path), Is.EqualTo(new[] { file }), "no temporary file is left behind");
        }
    }

    [Test]
    public void RotatingTheKeyRingAsRootKeepsItsOwner()
    {
        RequireRoot();
        var ring = _folder.File("keys", "content-keys.json");
        KeyRingFile.CreateIfMissing(ring, DateTimeOffset.UtcNow);
        Nobody.Apply(ring);

        KeyRingFile.Rotate(ring, DateTimeOffset.UtcNow);

        Assert.That(FileOwner.Of(ring), Is.EqualTo(Nobody));
        Assert.That(KeyRingFile.Read(ring), Has.Count.EqualTo(2));
    }

    [Test]
    public void AWriteThatMustNotReplaceLeavesTheFirstFileAndNoTemporaryOne()
    {
        var file = _folder.File("content-keys.json");
        OwnerOnlyFiles.WriteSecret(file, "first");

        Assert.Throws<IOException>(() => OwnerOnlyFiles.WriteSecret(file, stream => stream.Write("second"u8), replace: false));

        Assert.That(File.ReadAllText(file), Is.EqualTo("first"));
        Assert.That(Directory.GetFiles(_folder.Path), Is.EqualTo(new[] { file }));
    }

    [Test]
    public void AFolderCanBeMadePassableByItsGroupAndIsNarrowedOtherwise()
    {
        var folder = _folder.File("data");

        OwnerOnlyFiles.CreateFolder(folder, OwnerOnlyFiles.PassableFolderMode);
        var passable = File.GetUnixFileMode(folder);
        OwnerOnlyFiles.CreateFolder(folder);

        Assert.That(passable, Is.EqualTo((UnixFileMode)0b111_001_000));
        Assert.That(File.GetUnixFileMode(folder), Is.EqualTo((UnixFileMode)0b111_000_000));
    }

    private static void RequireRoot()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Ignore("Only root can give a file to another user; ./webide test runs as root.");
        }
    }
}
