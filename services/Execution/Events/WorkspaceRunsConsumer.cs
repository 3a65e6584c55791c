using MassTransit;
using WebIde.Contracts.Events;
using WebIde.Execution.Runs;

namespace WebIde.Execution.Events;

/// <summary>
/// A deleted workspace's programs stop at once on this instance, warm-pool sandboxes included
/// (they were started before the run and carry no workspace label).
/// </summary>
public sealed class WorkspaceRunsConsumer(IWorkspaceRuns runs) : IConsumer<WorkspaceDeleted>
{
    public Task Consume(ConsumeContext<WorkspaceDeleted> context) =>
        runs.KillWorkspaceAsync(context.Message.WorkspaceId, context.CancellationToken);
}
