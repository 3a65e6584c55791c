using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;
using WebIde.Execution.Sandbox;
using WebIde.Tests.Shared;

namespace WebIde.Execution.UnitTests.Sandbox;

/// <summary>
/// The sweeper asks the engine only for this installation's containers: another checkout's on
/// the same machine are never listed, so never removed (the engine's filtering itself is shown
/// against a real engine in SweeperDockerTests).
/// </summary>
public sealed class SandboxSweeperTests
{
    private const string Installation = "/home/ada/webide/.data";

    private IDockerClient _docker = null!;
    private readonly List<ContainersListParameters> _listings = [];

    [SetUp]
    public void RecordTheListings()
    {
        _docker = Substitute.For<IDockerClient>();
        _listings.Clear();
        _docker.Containers.ListContainersAsync(Arg.Do<ContainersListParameters>(_listings.Add), Arg.Any<CancellationToken>())
            .Returns([
                new ContainerListResponse { ID = "exited", State = "exited", Labels = new Dictionary<string, string>() },
                new ContainerListResponse { ID = "running", State = "running", Labels = new Dictionary<string, string>() },
            ]);
    }

    [TearDown]
    public void DisposeDocker() => _docker.Dispose();

    [Test]
    public async Task ASweepListsOnlyThisInstallationsManagedContainers()
    {
        await SweepAsync();

        Assert.That(_listings, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(_listings[0].All, Is.True, "exited containers are what it is for");
            // Docker ANDs label filters: a container must carry both.
            Assert.That(_listings[0].Filters["label"].Where(filter => filter.Value).Select(filter => filter.Key),
                Is.EquivalentTo(new[] { "webide.managed=true", $"webide.installation={Installation}" }));
        });
    }

    [Test]
    public async Task OfWhatIsListedOnlyContainersWhoseRunIsOverAreRemoved()
    {
        var removed = await SweepAsync();

        Assert.That(removed, Is.EqualTo(1));
        await _docker.Containers.Received(1).RemoveContainerAsync("exited", Arg.Any<ContainerRemoveParameters>(), Arg.Any<CancellationToken>());
        await _docker.Containers.DidNotReceive().RemoveContainerAsync("running", Arg.Any<ContainerRemoveParameters>(), Arg.Any<CancellationToken>());
    }

    private Task<int> SweepAsync()
    {
        var options = Options.Create(new SandboxOptions { Installation = Installation });
        var containers = new SandboxContainers(_docker, options, NullLogger<SandboxContainers>.Instance);
        var sweeper = new SandboxSweeper(containers, options, new ManualTime(DateTimeOffset.UnixEpoch.AddDays(20_000)), NullLogger<SandboxSweeper>.Instance);
        return sweeper.SweepAsync(CancellationToken.None);
    }
}
