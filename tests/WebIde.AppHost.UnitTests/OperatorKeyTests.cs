using Aspire.Hosting.ApplicationModel;
using WebIde.AppHost.Services;

namespace WebIde.AppHost.UnitTests;

/// <summary>The installation's operator key, which opens the gateway's <c>/health/details</c>.</summary>
public sealed class OperatorKeyTests
{
    [Test]
    public async Task TheGatewayAloneGetsTheKeyKeptWithTheInstallationsSecrets()
    {
        await using var builder = await AppModel.BuildAsync();

        var gateway = await builder.Resource<ProjectResource>("gateway").ManifestEnvironmentAsync();
        var identity = await builder.Resource<ProjectResource>("identity").ManifestEnvironmentAsync();
        var key = builder.Resource<ParameterResource>(OperatorKeyExtensions.SecretName);
        var kept = await File.ReadAllTextAsync(Path.Combine(AppModel.DataDir, "secrets", OperatorKeyExtensions.SecretName));

        using (Assert.EnterMultipleScope())
        {
            // A secret parameter: named in the environment, never spelled out in a manifest.
            Assert.That(gateway["Health__OperatorKey"], Is.EqualTo($"{{{OperatorKeyExtensions.SecretName}.value}}"));
            Assert.That(key.Secret, Is.True);
            Assert.That(await key.GetValueAsync(CancellationToken.None), Is.EqualTo(kept.Trim()).And.Length.EqualTo(64));
            Assert.That(identity.Keys, Has.No.Member("Health__OperatorKey"));
        }
    }
}
