using WebIde.Identity.Storage;

namespace WebIde.Identity.Workspaces;

/// <summary>
/// Roles as the store has them, cached. Whoever changes a membership invalidates it before
/// telling anyone (answering the request, publishing the event).
/// </summary>
public interface IRoleCache
{
    /// <summary>Null when the user is not a member or the workspace does not exist.</summary>
    Task<WorkspaceRole?> GetRoleAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken);

    Task InvalidateAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken);

    Task InvalidateWorkspaceAsync(Guid workspaceId, CancellationToken cancellationToken);
}
