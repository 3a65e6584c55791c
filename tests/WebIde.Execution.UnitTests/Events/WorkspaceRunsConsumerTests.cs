using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using WebIde.Contracts.Events;
using WebIde.Execution.Events;
using WebIde.Execution.Runs;
using WebIde.Tests.Shared;

namespace WebIde.Execution.UnitTests.Events;

public sealed class WorkspaceRunsConsumerTests
{
    [Test]
    public async Task ADeletedWorkspacesRunsOnThisInstanceAreKilled()
    {
        var workspaceId = Guid.NewGuid();
        var runs = Substitute.For<IWorkspaceRuns>();
        await using var bus = await ConsumerTestBus<WorkspaceRunsConsumer>.StartAsync(services => services.AddSingleton(runs));

        await bus.Harness.Bus.Publish(new WorkspaceDeleted(workspaceId, Guid.NewGuid(), DateTimeOffset.UtcNow));

        Assert.That(await bus.Harness.GetConsumerHarness<WorkspaceRunsConsumer>().Consumed.Any<WorkspaceDeleted>(), Is.True);
        await runs.Received(1).KillWorkspaceAsync(workspaceId, Arg.Any<CancellationToken>());
    }
}
