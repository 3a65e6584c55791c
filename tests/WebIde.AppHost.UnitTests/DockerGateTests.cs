using Aspire.Hosting.ApplicationModel;

namespace WebIde.AppHost.UnitTests;

/// <summary>
/// The execution service reaches Docker only through the gate, a resource of its own that allows
/// the very image and installation execution is told of (docs/platform.md, "The Docker gate").
/// </summary>
public sealed class DockerGateTests
{
    private static string GateSocket => Path.Combine(AppModel.DataDir, "docker-gate", "docker.sock");

    [Test]
    public async Task ExecutionsDockerEndpointIsTheGatesSocketAndItWaitsForTheGate()
    {
        await using var builder = await AppModel.BuildAsync();
        var execution = builder.Resource<ProjectResource>("execution");
        var gate = builder.Resource<ProjectResource>("docker-gate");

        var environment = await execution.ManifestEnvironmentAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(environment["Sandbox__DockerEndpoint"], Is.EqualTo($"unix://{GateSocket}"));
            Assert.That(execution.Annotations.OfType<WaitAnnotation>().Select(wait => wait.Resource), Does.Contain(gate));
        }
    }

    [Test]
    public async Task TheGateIsTheExecutionBinaryRunAsTheGateAllowingWhatExecutionIsTold()
    {
        await using var builder = await AppModel.BuildAsync("--WebIde:Installation=/home/ada/webide/.data");
        var execution = await builder.Resource<ProjectResource>("execution").ManifestEnvironmentAsync();
        var gate = builder.Resource<ProjectResource>("docker-gate");

        var environment = await gate.ManifestEnvironmentAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await gate.ManifestArgumentsAsync(), Is.EqualTo(new[] { "docker-gate" }));
            Assert.That(environment["DockerGate__Socket"], Is.EqualTo(GateSocket));
            Assert.That(environment["DockerGate__DockerEndpoint"], Is.EqualTo("unix:///var/run/docker.sock"));
            Assert.That(environment["DockerGate__Installation"], Is.EqualTo(execution["Sandbox__Installation"]).And.EqualTo("/home/ada/webide/.data"));
            Assert.That(environment["DockerGate__AllowedImages__0"], Is.EqualTo(execution["Sandbox__RunnerImage"]));
            Assert.That(environment, Does.Not.ContainKey("DockerGate__SocketOwner"), "the socket stays the gate's own unless asked");
        }
    }

    [Test]
    public async Task TheSocketCanBeHandedToTheServicesUser()
    {
        await using var builder = await AppModel.BuildAsync("--WebIde:DockerGate:SocketOwner=1000:1000");

        var environment = await builder.Resource<ProjectResource>("docker-gate").ManifestEnvironmentAsync();

        Assert.That(environment["DockerGate__SocketOwner"], Is.EqualTo("1000:1000"));
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task TheSocketsFolderIsTheOwnersOnly()
    {
        await using var builder = await AppModel.BuildAsync();

        Assert.That(File.GetUnixFileMode(Path.GetDirectoryName(GateSocket)!), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }
}
