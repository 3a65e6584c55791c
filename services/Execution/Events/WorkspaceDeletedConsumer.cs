using MassTransit;
using WebIde.Contracts.Events;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.Events;

/// <summary>A deleted workspace's programs stop at once: its sandbox containers are removed.</summary>
public sealed class WorkspaceDeletedConsumer(SandboxContainers containers) : IConsumer<WorkspaceDeleted>
{
    public Task Consume(ConsumeContext<WorkspaceDeleted> context) =>
        containers.RemoveWorkspaceAsync(context.Message.WorkspaceId, context.CancellationToken);
}
