using Docker.DotNet;
using Docker.DotNet.Models;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using WebIde.Contracts.Events;
using WebIde.Execution.Events;
using WebIde.Execution.Sandbox;
using WebIde.Tests.Shared;

namespace WebIde.Execution.UnitTests.Events;

public sealed class WorkspaceDeletedConsumerTests
{
    private static readonly Guid WorkspaceId = Guid.Parse("6f1c0f1e-0000-4000-8000-000000000001");

    private IDockerClient _docker = null!;
    private ConsumerTestBus<WorkspaceDeletedConsumer> _bus = null!;

    private ITestHarness Harness => _bus.Harness;

    [SetUp]
    public async Task StartBusAsync()
    {
        _docker = Substitute.For<IDockerClient>();
        _docker.Containers.ListContainersAsync(Arg.Any<ContainersListParameters>(), Arg.Any<CancellationToken>())
            .Returns([new ContainerListResponse { ID = "c1" }]);

        _bus = await ConsumerTestBus<WorkspaceDeletedConsumer>.StartAsync(services => services
            .AddSingleton(_docker)
            .Configure<SandboxOptions>(options => options.Installation = "/home/ada/webide/.data")
            .AddSingleton<SandboxContainers>());
    }

    [TearDown]
    public async Task StopBusAsync()
    {
        await _bus.DisposeAsync();
        _docker.Dispose();
    }

    [Test]
    public async Task ADeletedWorkspacesContainersAreRemoved()
    {
        await Harness.Bus.Publish(new WorkspaceDeleted(WorkspaceId, Guid.NewGuid(), DateTimeOffset.UtcNow));

        Assert.That(await Harness.GetConsumerHarness<WorkspaceDeletedConsumer>().Consumed.Any<WorkspaceDeleted>(), Is.True);
        await _docker.Containers.Received(1).ListContainersAsync(
            Arg.Is<ContainersListParameters>(parameters => parameters.Filters["label"].ContainsKey($"webide.workspace={WorkspaceId}")),
            Arg.Any<CancellationToken>());
        await _docker.Containers.Received(1).RemoveContainerAsync("c1", Arg.Any<ContainerRemoveParameters>(), Arg.Any<CancellationToken>());
    }

    [Test]
    public async Task AFailedRemovalFaultsTheMessageSoItIsRetried()
    {
        _docker.Containers.ListContainersAsync(Arg.Any<ContainersListParameters>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new HttpRequestException("Connection refused (/var/run/docker.sock)"));

        await Harness.Bus.Publish(new WorkspaceDeleted(WorkspaceId, Guid.NewGuid(), DateTimeOffset.UtcNow));

        Assert.That(await Harness.Published.Any<Fault<WorkspaceDeleted>>(), Is.True);
    }
}
