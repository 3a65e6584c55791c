using MassTransit;
using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Sockets;
using WebIde.Contracts.Events;
using WebIde.ServiceDefaults.Authorization;

namespace WebIde.Collaboration.Events;

/// <summary>
/// Every instance hears these on a queue of its own, since each must act on its own sockets: a
/// removed member's sockets close, a changed role applies to open documents, and a deleted
/// workspace's sockets close.
/// </summary>
public sealed class ConnectionAccessConsumer(ConnectionRegistry connections, DocumentHub hub, IWorkspaceRoles roles)
    : IConsumer<MembershipChanged>, IConsumer<WorkspaceDeleted>
{
    public Task Consume(ConsumeContext<MembershipChanged> context)
    {
        var change = context.Message;
        roles.Forget(change.WorkspaceId, change.UserId);
        if (change.Role is null)
        {
            connections.CloseUser(change.WorkspaceId, change.UserId);
            return Task.CompletedTask;
        }
        var readOnly = change.Role is not ("editor" or "owner");
        foreach (var document in hub.Documents.Where(document => document.Key.WorkspaceId == change.WorkspaceId))
        {
            document.UpdateAccess(change.UserId, readOnly);
        }
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<WorkspaceDeleted> context)
    {
        roles.ForgetWorkspace(context.Message.WorkspaceId);
        connections.CloseWorkspace(context.Message.WorkspaceId);
        return Task.CompletedTask;
    }
}
