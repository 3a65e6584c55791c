using Microsoft.Extensions.Caching.Memory;
using WebIde.Contracts.Identity.V1;

namespace WebIde.FileSystem.Access;

/// <summary>
/// Roles from identity's <c>Authorize</c>, remembered in this process for
/// <see cref="EntryLifetime"/>: a file read costs no round trip, and a membership change is
/// felt at once where its event is consumed and within that lifetime everywhere else.
/// Identity answers from its own Redis cache, so a miss is cheap too.
/// </summary>
public sealed class WorkspaceRoles(Authorization.AuthorizationClient identity, IMemoryCache cache) : IWorkspaceRoles
{
    public static readonly TimeSpan EntryLifetime = TimeSpan.FromSeconds(2);

    public async Task<WorkspaceRole> GetRoleAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue<WorkspaceRole>((workspaceId, userId), out var cached))
        {
            return cached;
        }

        var answer = await identity.AuthorizeAsync(
            new AuthorizeRequest { WorkspaceId = workspaceId.ToString("D"), UserId = userId.ToString("D") },
            cancellationToken: cancellationToken);
        var role = answer.Role switch
        {
            Role.Owner => WorkspaceRole.Owner,
            Role.Editor => WorkspaceRole.Editor,
            Role.Viewer => WorkspaceRole.Viewer,
            _ => WorkspaceRole.None,
        };

        cache.Set((workspaceId, userId), role, EntryLifetime);
        return role;
    }

    public void Forget(Guid workspaceId, Guid userId) => cache.Remove((workspaceId, userId));
}
