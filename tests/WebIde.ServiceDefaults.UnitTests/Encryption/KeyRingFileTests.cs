using System.Runtime.Versioning;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WebIde.ServiceDefaults.Encryption;

namespace WebIde.ServiceDefaults.UnitTests.Encryption;

// File modes are what is tested; the platform runs on Linux.
[UnsupportedOSPlatform("windows")]
public sealed class KeyRingFileTests
{
    private static readonly ContentPurpose Purpose = new("test/content");

    private TempFolder _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TempFolder();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    private string RingFile => _folder.File("keys", "content-keys.json");

    [Test]
    public void AMadeRingIsOwnerOnlyInAnOwnerOnlyFolderAndHasOneKey()
    {
        Assert.That(KeyRingFile.CreateIfMissing(RingFile, DateTimeOffset.UtcNow), Is.True);

        Assert.That(File.GetUnixFileMode(RingFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.GetUnixFileMode(Path.GetDirectoryName(RingFile)!), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        Assert.That(KeyRingFile.Read(RingFile), Has.Count.EqualTo(1));
    }

    [Test]
    public void AnExistingRingIsNeverReplaced()
    {
        KeyRingFile.CreateIfMissing(RingFile, DateTimeOffset.UtcNow);
        var before = File.ReadAllBytes(RingFile);

        Assert.That(KeyRingFile.CreateIfMissing(RingFile, DateTimeOffset.UtcNow), Is.False);
        Assert.That(File.ReadAllBytes(RingFile), Is.EqualTo(before));
    }

    [Test]
    public void RotationAddsAKeyThatSealsAndKeepsTheOldOnesToOpenWhatTheySealed()
    {
        KeyRingFile.CreateIfMissing(RingFile, DateTimeOffset.UtcNow);
        var before = new ContentCipher(KeyRing.FromFile(RingFile));
        var sealedBefore = before.Seal(Purpose, "old"u8);

        var added = KeyRingFile.Rotate(RingFile, DateTimeOffset.UtcNow);
        var after = new ContentCipher(KeyRing.FromFile(RingFile));
        var sealedAfter = after.Seal(Purpose, "new"u8);

        Assert.That(KeyRingFile.Read(RingFile).Select(key => key.Id), Is.EqualTo(new[] { before.Keys.ActiveKeyId, added.Id }));
        Assert.That(after.Keys.ActiveKeyId, Is.EqualTo(added.Id));
        Assert.That(after.Open(Purpose, sealedBefore), Is.EqualTo("old"u8.ToArray()));
        Assert.That(File.GetUnixFileMode(RingFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "the rotated ring is owner-only too");
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(RingFile)!), Has.Length.EqualTo(1), "no temporary file is left");

        Assert.That(before.Open(Purpose, sealedAfter), Is.EqualTo("new"u8.ToArray()),
            "a running process finds a key added after it started when a value sealed with it turns up");
    }

    [Test]
    public void AMissingRingIsRefusedSayingWhereItShouldBe()
    {
        Assert.That(() => KeyRingFile.Read(RingFile),
            Throws.InvalidOperationException.With.Message.Contains(RingFile).And.Message.Contains("does not exist"));
    }

    [TestCase(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead)]
    [TestCase(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead)]
    [TestCase(UnixFileMode.UserRead | UnixFileMode.OtherWrite)]
    public void ARingOthersCanReachIsRefusedSayingHowToFixIt(UnixFileMode mode)
    {
        KeyRingFile.CreateIfMissing(RingFile, DateTimeOffset.UtcNow);
        File.SetUnixFileMode(RingFile, mode);

        Assert.That(() => KeyRing.FromFile(RingFile),
            Throws.InvalidOperationException.With.Message.Contains($"chmod 600 {RingFile}"));
    }

    [Test]
    public void AReadOnlyRingOfTheOwnerIsAccepted()
    {
        KeyRingFile.CreateIfMissing(RingFile, DateTimeOffset.UtcNow);
        File.SetUnixFileMode(RingFile, UnixFileMode.UserRead);

        Assert.That(KeyRingFile.Read(RingFile), Has.Count.EqualTo(1));
    }

    [TestCase("not json")]
    [TestCase("""{"keys": []}""")]
    [TestCase("""{"keys": [{"id": 1, "createdAt": "2026-01-01T00:00:00Z", "key": "c2hvcnQ="}]}""")]
    [TestCase("""{"keys": [{"id": 0, "createdAt": "2026-01-01T00:00:00Z", "key": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}]}""")]
    public void AFileThatIsNotAKeyRingIsRefused(string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(RingFile)!);
        File.WriteAllText(RingFile, content, Encoding.UTF8);
        File.SetUnixFileMode(RingFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.That(() => KeyRingFile.Read(RingFile), Throws.InvalidOperationException.With.Message.Contains("is not a valid key ring"));
    }

    [Test]
    public void AServiceWithoutItsKeyRingDoesNotStartAndSaysWhy()
    {
        var unset = Host.CreateApplicationBuilder();
        Assert.That(() => unset.AddContentEncryption(),
            Throws.InvalidOperationException.With.Message.Contains(EncryptionExtensions.KeyRingFileSetting));

        var missing = Host.CreateApplicationBuilder();
        missing.Configuration[EncryptionExtensions.KeyRingFileSetting] = RingFile;
        Assert.That(() => missing.AddContentEncryption(), Throws.InvalidOperationException.With.Message.Contains("does not exist"));
    }

    [Test]
    public void AServiceWithItsKeyRingGetsACipherOnIt()
    {
        KeyRingFile.CreateIfMissing(RingFile, DateTimeOffset.UtcNow);
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[EncryptionExtensions.KeyRingFileSetting] = RingFile;

        builder.AddContentEncryption().AddContentEncryption();
        using var services = builder.Services.BuildServiceProvider();

        var cipher = services.GetRequiredService<ContentCipher>();
        Assert.That(cipher.Keys.File, Is.EqualTo(RingFile));
        Assert.That(cipher.Keys.ActiveKeyId, Is.EqualTo(KeyRingFile.Read(RingFile)[0].Id));
        Assert.That(builder.Services.Count(service => service.ServiceType == typeof(ContentCipher)), Is.EqualTo(1));
    }
}
