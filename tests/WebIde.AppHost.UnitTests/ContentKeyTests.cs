using System.Runtime.Versioning;
using Aspire.Hosting.ApplicationModel;
using WebIde.AppHost.Platform;
using WebIde.ServiceDefaults.Encryption;

namespace WebIde.AppHost.UnitTests;

// File modes are what is tested; the platform runs on Linux.
[UnsupportedOSPlatform("windows")]
public sealed class ContentKeyTests
{
    private const string Setting = "WebIde__Encryption__KeyRingFile";

    private static string RingOf(string dataDir) => Path.Combine(dataDir, "keys", "content-keys.json");

    [Test]
    public async Task TheServicesThatKeepContentGetTheInstallationsKeyRingOwnerOnly()
    {
        await using var builder = await AppModel.BuildAsync();
        var ring = RingOf(AppModel.DataDir);

        foreach (var service in new[] { "identity", "filesystem", "collaboration-1", "collaboration-2" })
        {
            var environment = await builder.Resource<ProjectResource>(service).ManifestEnvironmentAsync();
            Assert.That(environment.GetValueOrDefault(Setting), Is.EqualTo(ring), service);
        }
        foreach (var other in new[] { "execution", "gateway" })
        {
            Assert.That(await builder.Resource<ProjectResource>(other).ManifestEnvironmentAsync(), Does.Not.ContainKey(Setting), $"{other} keeps no content at rest");
        }
        Assert.That(File.GetUnixFileMode(ring), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(KeyRingFile.Read(ring), Is.Not.Empty);
    }

    [Test]
    public async Task ASecondStartKeepsTheSameRing()
    {
        await using (await AppModel.BuildAsync())
        {
        }
        var before = await File.ReadAllBytesAsync(RingOf(AppModel.DataDir));

        await using (await AppModel.BuildAsync())
        {
        }

        Assert.That(await File.ReadAllBytesAsync(RingOf(AppModel.DataDir)), Is.EqualTo(before));
    }

    [Test]
    public void RotateAddsAKeyKeepsTheOldOnesAndStartsNothing()
    {
        var dataDir = Directory.CreateTempSubdirectory("webide-keys-").FullName;
        try
        {
            var output = new StringWriter();
            var args = new[] { $"--WebIde:DataDir={dataDir}", "--WebIde:ContentKeys=rotate" };

            var made = ContentKeyCommand.TryRun(args, dataDir, output);
            var first = KeyRingFile.Read(RingOf(dataDir));
            var rotated = ContentKeyCommand.TryRun(args, dataDir, output);
            var second = KeyRingFile.Read(RingOf(dataDir));

            Assert.That(made, Is.Zero);
            Assert.That(rotated, Is.Zero);
            Assert.That(second.Select(key => key.Id).Take(1), Is.EqualTo(first.Select(key => key.Id)), "the old key stays");
            Assert.That(second, Has.Count.EqualTo(2));
            Assert.That(output.ToString(), Does.Contain($"added content key {second[^1].Id}"));
            Assert.That(File.GetUnixFileMode(Path.GetDirectoryName(RingOf(dataDir))!), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Test]
    public void WithoutTheCommandTheAppHostStartsAsUsualAndAnUnknownOneIsRefused()
    {
        var output = new StringWriter();

        Assert.That(ContentKeyCommand.TryRun(["--WebIde:Mode=local"], "/", output), Is.Null);
        Assert.That(ContentKeyCommand.TryRun(["--WebIde:DataDir=/tmp/x", "--WebIde:ContentKeys=delete"], "/", output), Is.EqualTo(2));
        Assert.That(ContentKeyCommand.TryRun(["--WebIde:ContentKeys=rotate"], "/", output), Is.EqualTo(2));
    }
}
