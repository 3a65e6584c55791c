using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.UnitTests.Sandbox;

public sealed class SandboxContainersTests
{
    private static readonly Guid WorkspaceId = Guid.Parse("6f1c0f1e-0000-4000-8000-000000000001");
    private const string Installation = "/home/ada/webide/.data";

    private IDockerClient _docker = null!;
    private ContainersListParameters? _listed;

    [SetUp]
    public void RecordTheListing()
    {
        _docker = Substitute.For<IDockerClient>();
        _listed = null;
        _docker.Containers.ListContainersAsync(Arg.Do<ContainersListParameters>(parameters => _listed = parameters), Arg.Any<CancellationToken>())
            .Returns(Containers("c1", "c2", "c3"));
    }

    [TearDown]
    public void DisposeDocker() => _docker.Dispose();

    [Test]
    public async Task OnlyTheWorkspacesContainersOfThisInstallationAreListedStoppedOnesToo()
    {
        await RemoveAsync();

        Assert.That(_listed, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_listed!.All, Is.True, "stopped containers are removed too");
            Assert.That(_listed.Filters.Keys, Is.EquivalentTo(new[] { "label" }));
            // Docker ANDs label filters: both must hold.
            Assert.That(_listed.Filters["label"].Where(filter => filter.Value).Select(filter => filter.Key),
                Is.EquivalentTo(new[] { "webide.managed=true", $"webide.installation={Installation}", $"webide.workspace={WorkspaceId}" }));
        }
    }

    [Test]
    public async Task EveryListedContainerIsForceRemovedAndCounted()
    {
        var removed = await RemoveAsync();

        Assert.That(removed, Is.EqualTo(3));
        foreach (var id in new[] { "c1", "c2", "c3" })
        {
            await _docker.Containers.Received(1).RemoveContainerAsync(id, Arg.Is<ContainerRemoveParameters>(parameters => parameters.Force == true), Arg.Any<CancellationToken>());
        }
    }

    [Test]
    public async Task AContainerThatIsAlreadyGoneIsNoError()
    {
        _docker.Containers.RemoveContainerAsync("c2", Arg.Any<ContainerRemoveParameters>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new DockerContainerNotFoundException(HttpStatusCode.NotFound, """{"message":"No such container: c2"}"""));

        var removed = await RemoveAsync();

        Assert.That(removed, Is.EqualTo(3));
        await _docker.Containers.Received(1).RemoveContainerAsync("c3", Arg.Any<ContainerRemoveParameters>(), Arg.Any<CancellationToken>());
    }

    [Test]
    public void AnEngineFailureIsNotSwallowed()
    {
        // The message that asked for the removal must fail, so that it is retried.
        _docker.Containers.RemoveContainerAsync("c1", Arg.Any<ContainerRemoveParameters>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new DockerApiException(HttpStatusCode.InternalServerError, "engine error"));

        Assert.That(RemoveAsync, Throws.InstanceOf<DockerApiException>());
    }

    [Test]
    public async Task AWorkspaceWithoutContainersRemovesNothing()
    {
        _docker.Containers.ListContainersAsync(Arg.Any<ContainersListParameters>(), Arg.Any<CancellationToken>()).Returns(Containers());

        var removed = await RemoveAsync();

        Assert.That(removed, Is.Zero);
        await _docker.Containers.DidNotReceiveWithAnyArgs().RemoveContainerAsync(default!, default!, default);
    }

    private Task<int> RemoveAsync() =>
        new SandboxContainers(_docker, Options.Create(new SandboxOptions { Installation = Installation }), NullLogger<SandboxContainers>.Instance)
            .RemoveWorkspaceAsync(WorkspaceId, CancellationToken.None);

    private static IList<ContainerListResponse> Containers(params string[] ids) =>
        ids.Select(id => new ContainerListResponse { ID = id }).ToList();
}
