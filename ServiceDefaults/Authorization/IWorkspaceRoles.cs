namespace WebIde.ServiceDefaults.Authorization;

/// <summary>What identity says a user may do in a workspace.</summary>
public interface IWorkspaceRoles
{
    Task<WorkspaceRole> GetRoleAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken);

    /// <summary>Forgets what this instance remembers of the user's role, so the next call asks identity.</summary>
    void Forget(Guid workspaceId, Guid userId);

    /// <summary>The workspace was deleted: from now on nobody has a role in it here, whatever was remembered.</summary>
    void ForgetWorkspace(Guid workspaceId);
}
