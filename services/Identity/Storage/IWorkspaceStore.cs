namespace WebIde.Identity.Storage;

public interface IWorkspaceStore
{
    /// <summary>Creates the workspace with its creator as its one owner.</summary>
    Task CreateAsync(Workspace workspace, Guid ownerId, CancellationToken cancellationToken);

    Task<Workspace?> FindAsync(Guid workspaceId, CancellationToken cancellationToken);

    Task<IReadOnlyList<(Workspace Workspace, WorkspaceRole Role)>> ListForUserAsync(Guid userId, CancellationToken cancellationToken);

    Task<IReadOnlyList<WorkspaceMember>> ListMembersAsync(Guid workspaceId, CancellationToken cancellationToken);

    Task<WorkspaceRole?> FindRoleAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken);

    /// <summary>
    /// Adds the user or changes their role. Demoting the last owner is refused
    /// (<see cref="MembershipChange.LastOwner"/>), decided atomically even when two owners
    /// demote each other at once.
    /// </summary>
    Task<MembershipChange> SetRoleAsync(Guid workspaceId, Guid userId, WorkspaceRole role, CancellationToken cancellationToken);

    /// <summary>Removing the last owner is refused, atomically, as in <see cref="SetRoleAsync"/>.</summary>
    Task<MembershipChange> RemoveMemberAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken);

    /// <summary>False when there was no such workspace.</summary>
    Task<bool> DeleteAsync(Guid workspaceId, CancellationToken cancellationToken);
}
