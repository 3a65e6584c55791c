using MassTransit;
using WebIde.Contracts.Events;
using WebIde.FileSystem.Access;
using WebIde.FileSystem.Files;
using WebIde.ServiceDefaults.Authorization;

namespace WebIde.FileSystem.Events;

/// <summary>A deleted workspace's files, versions and change log go with it.</summary>
public sealed class WorkspaceDeletedConsumer(WorkspaceFiles files, IWorkspaceRoles roles, ILogger<WorkspaceDeletedConsumer> logger) : IConsumer<WorkspaceDeleted>
{
    public async Task Consume(ConsumeContext<WorkspaceDeleted> context)
    {
        // First shut the door, then clear the room: a role remembered from before the delete
        // would otherwise let writes in after the files are gone, and nothing would remove them.
        roles.ForgetWorkspace(context.Message.WorkspaceId);
        await files.DeleteWorkspaceAsync(context.Message.WorkspaceId, context.CancellationToken);
        logger.LogInformation("Removed the files of deleted workspace {WorkspaceId}", context.Message.WorkspaceId);
    }
}
