using MassTransit;
using WebIde.Contracts.Events;
using WebIde.FileSystem.Storage;

namespace WebIde.FileSystem.Events;

/// <summary>A deleted workspace's files, versions and change log go with it.</summary>
public sealed class WorkspaceDeletedConsumer(IFileStore store, ILogger<WorkspaceDeletedConsumer> logger) : IConsumer<WorkspaceDeleted>
{
    public async Task Consume(ConsumeContext<WorkspaceDeleted> context)
    {
        await store.DeleteWorkspaceAsync(context.Message.WorkspaceId, context.CancellationToken);
        logger.LogInformation("Removed the files of deleted workspace {WorkspaceId}", context.Message.WorkspaceId);
    }
}
