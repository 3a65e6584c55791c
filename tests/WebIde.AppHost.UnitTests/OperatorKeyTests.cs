using System.Runtime.Versioning;
using Aspire.Hosting.ApplicationModel;
using WebIde.AppHost.Platform;

namespace WebIde.AppHost.UnitTests;

/// <summary>The installation's operator key, which opens the gateway's <c>/health/details</c>.</summary>
public sealed class OperatorKeyTests
{
    [Test]
    public async Task TheGatewayAloneGetsTheKeyKeptInTheDataFolder()
    {
        await using var builder = await AppModel.BuildAsync();

        var gateway = await builder.Resource<ProjectResource>("gateway").ManifestEnvironmentAsync();
        var identity = await builder.Resource<ProjectResource>("identity").ManifestEnvironmentAsync();
        var kept = await File.ReadAllTextAsync(Path.Combine(AppModel.DataDir, OperatorKeyExtensions.FileName));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(gateway["Health__OperatorKey"], Is.EqualTo(kept).And.Length.EqualTo(64));
            Assert.That(identity.Keys, Has.No.Member("Health__OperatorKey"));
        }
    }

    [Test]
    [SupportedOSPlatform("linux")]
    public void TheKeyIsMadeOnceReadableByItsOwnerAlone()
    {
        var folder = Directory.CreateTempSubdirectory("webide-operator-key-");
        try
        {
            var path = Path.Combine(folder.FullName, OperatorKeyExtensions.FileName);

            var made = OperatorKeyExtensions.ReadOrCreate(path);
            var again = OperatorKeyExtensions.ReadOrCreate(path);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(again, Is.EqualTo(made));
                Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
