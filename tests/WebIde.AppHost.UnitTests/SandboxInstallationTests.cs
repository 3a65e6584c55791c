using Aspire.Hosting.ApplicationModel;

namespace WebIde.AppHost.UnitTests;

/// <summary>
/// The execution service learns whose sandboxes it makes and may remove: the installation's
/// data folder, as <c>./webide</c> filters its cleanup by, unless a test boot names its checkout's.
/// </summary>
public sealed class SandboxInstallationTests
{
    [Test]
    public async Task IsTheDataFolderByDefault()
    {
        await using var builder = await AppModel.BuildAsync();

        var environment = await builder.Resource<ProjectResource>("execution").ManifestEnvironmentAsync();

        Assert.That(environment["Sandbox__Installation"], Is.EqualTo(AppModel.DataDir));
    }

    [Test]
    public async Task CanBeNamedApartFromTheDataFolder()
    {
        await using var builder = await AppModel.BuildAsync("--WebIde:Installation=/home/ada/webide/.data");

        var environment = await builder.Resource<ProjectResource>("execution").ManifestEnvironmentAsync();

        Assert.That(environment["Sandbox__Installation"], Is.EqualTo("/home/ada/webide/.data"));
    }
}
