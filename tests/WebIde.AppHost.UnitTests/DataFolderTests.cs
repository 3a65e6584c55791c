using System.Runtime.Versioning;
using Aspire.Hosting.ApplicationModel;
using WebIde.AppHost.Infrastructure;
using WebIde.AppHost.Platform;
using WebIde.ServiceDefaults.Files;

namespace WebIde.AppHost.UnitTests;

/// <summary>The data folder holds databases, Redis's log and the installation's secrets: only the platform's user may enter it (docs/api.md §7).</summary>
[UnsupportedOSPlatform("windows")] // file modes are POSIX
public sealed class DataFolderTests
{
    [Test]
    public async Task TheDataFolderAndEachOfItsFoldersAre0700()
    {
        var dataDir = Path.Combine(Directory.CreateTempSubdirectory("webide-data-").FullName, ".data");
        try
        {
            await using var builder = await AppModel.BuildAsync($"--WebIde:DataDir={dataDir}");

            Assert.Multiple(() =>
            {
                Assert.That(File.GetUnixFileMode(dataDir), Is.EqualTo(OwnerOnlyFiles.FolderMode), dataDir);
                foreach (var folder in Directory.GetDirectories(dataDir))
                {
                    Assert.That(File.GetUnixFileMode(folder), Is.EqualTo(OwnerOnlyFiles.FolderMode), folder);
                }
                Assert.That(Directory.GetDirectories(dataDir).Select(Path.GetFileName), Is.SupersetOf(new[] { "redis", "rabbitmq", "identity", "secrets" }));
            });
        }
        finally
        {
            await AppModel.DeleteDataFolderAsync(Path.GetDirectoryName(dataDir)!);
        }
    }

    [Test]
    public async Task AFolderAnOlderInstallationLeftOpenIsNarrowed()
    {
        var dataDir = Directory.CreateTempSubdirectory("webide-data-").FullName;
        var open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(dataDir, open);
        File.SetUnixFileMode(Directory.CreateDirectory(Path.Combine(dataDir, "identity")).FullName, open);
        try
        {
            await using var builder = await AppModel.BuildAsync($"--WebIde:DataDir={dataDir}");

            Assert.Multiple(() =>
            {
                Assert.That(File.GetUnixFileMode(dataDir), Is.EqualTo(OwnerOnlyFiles.FolderMode));
                Assert.That(File.GetUnixFileMode(Path.Combine(dataDir, "identity")), Is.EqualTo(OwnerOnlyFiles.FolderMode));
            });
        }
        finally
        {
            await AppModel.DeleteDataFolderAsync(dataDir);
        }
    }

    [Test]
    public async Task FilesThatHoldASecretAre0600()
    {
        await using var builder = await AppModel.BuildAsync();
        var broker = builder.Resource<LocalRabbitMqResource>("rabbitmq");
        await broker.WriteDefinitionsAsync(CancellationToken.None);

        string[] files =
        [
            Path.Combine(AppModel.DataDir, "secrets", "redis-password"),
            Path.Combine(AppModel.DataDir, "redis", LocalRedisResource.ConfigFileName),
            broker.DefinitionsFile,
        ];
        Assert.Multiple(() =>
        {
            foreach (var file in files)
            {
                Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), file);
            }
        });
    }
}
