namespace WebIde.ServiceDefaults.Authorization;

/// <summary>What identity says a user may do in a workspace.</summary>
public interface IWorkspaceRoles
{
    Task<WorkspaceRole> GetRoleAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken);

    /// <summary>
    /// Asks identity afresh, past what this instance remembers, and remembers the answer: for
    /// re-checking what a long-lived connection was let in with (<see cref="MembershipWatcher"/>).
    /// </summary>
    Task<WorkspaceRole> RefreshAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken);

    /// <summary>Forgets what this instance remembers of the user's role, so the next call asks identity.</summary>
    void Forget(Guid workspaceId, Guid userId);

    /// <summary>The workspace was deleted: from now on nobody has a role in it here, whatever was remembered.</summary>
    void ForgetWorkspace(Guid workspaceId);
}
