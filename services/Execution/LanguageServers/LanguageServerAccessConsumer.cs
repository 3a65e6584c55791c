using MassTransit;
using WebIde.Contracts.Events;
using WebIde.ServiceDefaults.Authorization;

namespace WebIde.Execution.LanguageServers;

/// <summary>
/// Every instance hears these on a queue of its own, since each must act on its own sockets: a removed
/// member's language servers stop (4003), a deleted workspace's too (4004).
/// </summary>
public sealed class LanguageServerAccessConsumer(LanguageServerSessions sessions, IWorkspaceRoles roles) : IConsumer<MembershipChanged>, IConsumer<WorkspaceDeleted>
{
    public Task Consume(ConsumeContext<MembershipChanged> context)
    {
        var change = context.Message;
        roles.Forget(change.WorkspaceId, change.UserId);
        if (change.Role is not null)
        {
            return Task.CompletedTask;
        }
        return Task.WhenAll(sessions.InWorkspace(change.WorkspaceId)
            .Where(session => session.Key.UserId == change.UserId)
            .Select(session => session.EndAsync(LspCloseCodes.NoRole, "removed from the workspace")));
    }

    public Task Consume(ConsumeContext<WorkspaceDeleted> context)
    {
        roles.ForgetWorkspace(context.Message.WorkspaceId);
        return Task.WhenAll(sessions.InWorkspace(context.Message.WorkspaceId)
            .Select(session => session.EndAsync(LspCloseCodes.NoServer, "the workspace was deleted")));
    }
}
