using MassTransit;
using WebIde.Contracts.Events;

namespace WebIde.Collaboration.Events;

public sealed class FileDeletedConsumer(FileRemovals removals) : IConsumer<FileDeleted>
{
    public Task Consume(ConsumeContext<FileDeleted> context) =>
        removals.CloseAsync(context.Message.WorkspaceId, context.Message.Path, newPath: null);
}
