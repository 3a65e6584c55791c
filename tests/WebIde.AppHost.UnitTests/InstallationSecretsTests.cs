using System.Runtime.Versioning;
using WebIde.AppHost.Platform;
using WebIde.ServiceDefaults.Files;

namespace WebIde.AppHost.UnitTests;

[UnsupportedOSPlatform("windows")] // file modes are POSIX
public sealed class InstallationSecretsTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Path.Combine(Directory.CreateTempSubdirectory("webide-secrets-").FullName, "secrets");

    [TearDown]
    public void DeleteFolder() => Directory.Delete(Path.GetDirectoryName(_folder)!, recursive: true);

    [Test]
    public void ASecretIsMadeOnceAndKeptAcrossRuns()
    {
        var first = new InstallationSecrets(_folder).Get("redis-password");
        var again = new InstallationSecrets(_folder).Get("redis-password");
        var other = new InstallationSecrets(_folder).Get("rabbitmq-identity-password");

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(again));
            Assert.That(first, Does.Match("^[0-9a-f]{64}$"), "32 random bytes, safe in a URI and a Redis connection string");
            Assert.That(other, Is.Not.EqualTo(first));
        });
    }

    [Test]
    public void AFileWrittenForAnotherProgramHoldsExactlyItsTextWithNoByteOrderMark()
    {
        // redis-server and RabbitMQ read these files; a byte-order mark before "requirepass" stops Redis from starting.
        Directory.CreateDirectory(_folder);
        var file = Path.Combine(_folder, "redis.conf");

        OwnerOnlyFiles.WriteSecret(file, "requirepass abc\n");

        Assert.That(File.ReadAllBytes(file), Is.EqualTo("requirepass abc\n"u8.ToArray()));
    }

    [Test]
    public void OnlyThePlatformsUserCanReadThem()
    {
        new InstallationSecrets(_folder).Get("redis-password");

        Assert.Multiple(() =>
        {
            Assert.That(File.GetUnixFileMode(_folder), Is.EqualTo(OwnerOnlyFiles.FolderMode));
            Assert.That(File.GetUnixFileMode(Path.Combine(_folder, "redis-password")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        });
    }

    [Test]
    public void AFileLeftReadableByOthersIsNarrowedAndKept()
    {
        Directory.CreateDirectory(_folder);
        var file = Path.Combine(_folder, "redis-password");
        File.WriteAllText(file, "0123abcd\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var secret = new InstallationSecrets(_folder).Get("redis-password");

        Assert.Multiple(() =>
        {
            Assert.That(secret, Is.EqualTo("0123abcd"));
            Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(File.GetUnixFileMode(_folder), Is.EqualTo(OwnerOnlyFiles.FolderMode));
        });
    }

    [TestCase("../etc/passwd")]
    [TestCase("a/b")]
    [TestCase(".hidden")]
    [TestCase("")]
    public void ANameThatIsNotAPlainFileNameIsRefused(string name) =>
        Assert.Throws<ArgumentException>(() => new InstallationSecrets(_folder).Get(name));
}
