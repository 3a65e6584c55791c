using MassTransit;
using WebIde.Contracts.Events;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.Events;

/// <summary>
/// A deleted workspace's sandbox containers that carry its label are removed. The queue is
/// durable: containers left while the service was down are removed when it is back.
/// </summary>
public sealed class WorkspaceDeletedConsumer(SandboxContainers containers) : IConsumer<WorkspaceDeleted>
{
    public Task Consume(ConsumeContext<WorkspaceDeleted> context) =>
        containers.RemoveWorkspaceAsync(context.Message.WorkspaceId, context.CancellationToken);
}
