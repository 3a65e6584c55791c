namespace WebIde.Identity.Storage;

/// <remarks>
/// The changing calls take the integration event that announces the change (<c>announce</c>):
/// it goes into the outbox (<see cref="IOutboxStore"/>) with the change and only if the change
/// is made, so an acknowledged change is never left unannounced.
/// </remarks>
public interface IWorkspaceStore
{
    /// <summary>Creates the workspace with its creator as its one owner.</summary>
    Task CreateAsync(Workspace workspace, Guid ownerId, CancellationToken cancellationToken, OutboxMessage? announce = null);

    Task<Workspace?> FindAsync(Guid workspaceId, CancellationToken cancellationToken);

    Task<IReadOnlyList<(Workspace Workspace, WorkspaceRole Role)>> ListForUserAsync(Guid userId, CancellationToken cancellationToken);

    Task<IReadOnlyList<WorkspaceMember>> ListMembersAsync(Guid workspaceId, CancellationToken cancellationToken);

    Task<WorkspaceRole?> FindRoleAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken);

    /// <summary>
    /// Adds the user or changes their role. Demoting the last owner is refused
    /// (<see cref="MembershipChange.LastOwner"/>), decided atomically even when two owners
    /// demote each other at once.
    /// <paramref name="announce"/> is written when the result is <see cref="MembershipChange.Added"/> or <see cref="MembershipChange.Updated"/>.
    /// </summary>
    Task<MembershipChange> SetRoleAsync(Guid workspaceId, Guid userId, WorkspaceRole role, CancellationToken cancellationToken, OutboxMessage? announce = null);

    /// <summary>
    /// Removing the last owner is refused, atomically, as in <see cref="SetRoleAsync"/>.
    /// <paramref name="announce"/> is written when the result is <see cref="MembershipChange.Removed"/>.
    /// </summary>
    Task<MembershipChange> RemoveMemberAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken, OutboxMessage? announce = null);

    /// <summary>False when there was no such workspace (and <paramref name="announce"/> is not written).</summary>
    Task<bool> DeleteAsync(Guid workspaceId, CancellationToken cancellationToken, OutboxMessage? announce = null);
}
