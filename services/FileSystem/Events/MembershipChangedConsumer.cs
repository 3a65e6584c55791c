using MassTransit;
using WebIde.Contracts.Events;
using WebIde.FileSystem.Storage;
using WebIde.ServiceDefaults.Authorization;

namespace WebIde.FileSystem.Events;

/// <summary>
/// A changed role takes effect here at once instead of when the remembered one expires; a
/// member made owner, or an owner demoted or removed, changes who may pay for the
/// workspace's bytes (<see cref="AccountQuota"/>).
/// </summary>
public sealed class MembershipChangedConsumer(IWorkspaceRoles roles, IFileStore store) : IConsumer<MembershipChanged>
{
    /// <summary>The owner role's name in <see cref="MembershipChanged.Role"/> (docs/api.md §2).</summary>
    public const string OwnerRole = "owner";

    public async Task Consume(ConsumeContext<MembershipChanged> context)
    {
        var change = context.Message;
        roles.Forget(change.WorkspaceId, change.UserId);
        if (change.Role == OwnerRole)
        {
            await store.AddOwnerAsync(change.WorkspaceId, change.UserId, change.ChangedAt, context.CancellationToken);
        }
        else
        {
            await store.RemoveOwnerAsync(change.WorkspaceId, change.UserId, context.CancellationToken);
        }
    }
}
