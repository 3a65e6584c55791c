using MassTransit;
using WebIde.Contracts.Events;

namespace WebIde.Collaboration.Events;

/// <summary>A deleted workspace's collaborative state goes with it.</summary>
public sealed class WorkspaceDeletedConsumer(FileRemovals removals) : IConsumer<WorkspaceDeleted>
{
    public Task Consume(ConsumeContext<WorkspaceDeleted> context) =>
        removals.CloseAsync(context.Message.WorkspaceId, "", newPath: null);
}
