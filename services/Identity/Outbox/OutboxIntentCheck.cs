using WebIde.Contracts.Events;
using WebIde.Identity.Storage;
using WebIde.Identity.Workspaces;

namespace WebIde.Identity.Outbox;

/// <summary>
/// Whether an abandoned intent's change is in effect (MongoDB: an intent is written before its
/// change; see <see cref="Storage.Mongo.MongoOutboxStore"/>). A change undone since by a later
/// one reads as not in effect and is not announced: the later change has an announcement of its own.
/// </summary>
public sealed class OutboxIntentCheck(IWorkspaceStore workspaces)
{
    public async Task<bool> IsInEffectAsync(object integrationEvent, CancellationToken cancellationToken) => integrationEvent switch
    {
        WorkspaceCreated created => await workspaces.FindAsync(created.WorkspaceId, cancellationToken) is not null,
        WorkspaceDeleted deleted => await workspaces.FindAsync(deleted.WorkspaceId, cancellationToken) is null,
        MembershipChanged changed => (await workspaces.FindRoleAsync(changed.WorkspaceId, changed.UserId, cancellationToken))?.ToName() == changed.Role,
        _ => false,
    };
}
