using MassTransit;
using WebIde.Contracts.Events;
using WebIde.Execution.Runs;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.Events;

/// <summary>A deleted workspace's programs stop at once: its runs are killed and its sandbox containers removed.</summary>
public sealed class WorkspaceDeletedConsumer(IWorkspaceRuns runs, SandboxContainers containers) : IConsumer<WorkspaceDeleted>
{
    public async Task Consume(ConsumeContext<WorkspaceDeleted> context)
    {
        await runs.KillWorkspaceAsync(context.Message.WorkspaceId, context.CancellationToken);
        await containers.RemoveWorkspaceAsync(context.Message.WorkspaceId, context.CancellationToken);
    }
}
