using Microsoft.Extensions.Caching.Memory;
using WebIde.Contracts.Identity.V1;
using IdentityAuthorization = WebIde.Contracts.Identity.V1.Authorization;

namespace WebIde.ServiceDefaults.Authorization;

/// <summary>
/// Roles from identity's <c>Authorize</c>, remembered in this process for
/// <see cref="EntryLifetime"/>: a file read costs no round trip, and a membership change is
/// felt at once where its event is consumed and within that lifetime everywhere else.
/// Identity answers from its own Redis cache, so a miss is cheap too. A deleted workspace
/// is refused at once where its event is consumed: a remembered role must not let writes
/// into it after its files were removed (they would be left behind for good).
/// </summary>
public sealed class WorkspaceRoles(IdentityAuthorization.AuthorizationClient identity, IMemoryCache cache) : IWorkspaceRoles
{
    public static readonly TimeSpan EntryLifetime = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a deleted workspace is remembered as such: far longer than a remembered role
    /// and than an answer of identity can be under way, so neither outlives it.
    /// </summary>
    public static readonly TimeSpan DeletedLifetime = TimeSpan.FromMinutes(10);

    public async Task<WorkspaceRole> GetRoleAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken)
    {
        if (IsDeleted(workspaceId))
        {
            return WorkspaceRole.None;
        }
        if (cache.TryGetValue<WorkspaceRole>((workspaceId, userId), out var cached))
        {
            return cached;
        }

        return await RefreshAsync(workspaceId, userId, cancellationToken);
    }

    public async Task<WorkspaceRole> RefreshAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken)
    {
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

        // Identity may have answered just before the workspace was deleted: the deletion wins.
        if (IsDeleted(workspaceId))
        {
            return WorkspaceRole.None;
        }
        cache.Set((workspaceId, userId), role, EntryLifetime);
        return role;
    }

    public void Forget(Guid workspaceId, Guid userId) => cache.Remove((workspaceId, userId));

    public void ForgetWorkspace(Guid workspaceId) => cache.Set(DeletedKey(workspaceId), true, DeletedLifetime);

    private bool IsDeleted(Guid workspaceId) => cache.TryGetValue(DeletedKey(workspaceId), out _);

    private static (string, Guid) DeletedKey(Guid workspaceId) => ("deleted", workspaceId);
}
