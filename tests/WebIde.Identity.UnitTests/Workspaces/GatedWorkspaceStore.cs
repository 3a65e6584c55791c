using WebIde.Identity.Storage;

namespace WebIde.Identity.UnitTests.Workspaces;

/// <summary>
/// Role look-ups that can be held at the store, to put a change between a cache miss's read
/// and its write; everything else is the inner store's.
/// </summary>
public sealed class GatedWorkspaceStore(IWorkspaceStore inner) : IWorkspaceStore
{
    private TaskCompletionSource? _gate;

    public int RoleReads { get; private set; }

    public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The next role look-up reads the store, then waits until the returned source is set.</summary>
    public TaskCompletionSource HoldNextRoleRead() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<WorkspaceRole?> FindRoleAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken)
    {
        RoleReads++;
        var role = await inner.FindRoleAsync(workspaceId, userId, cancellationToken);
        if (Interlocked.Exchange(ref _gate, null) is { } gate)
        {
            Reached.TrySetResult();
            await gate.Task;
        }
        return role;
    }

    public Task CreateAsync(Workspace workspace, Guid ownerId, CancellationToken cancellationToken, OutboxMessage? announce = null) => inner.CreateAsync(workspace, ownerId, cancellationToken, announce);

    public Task<Workspace?> FindAsync(Guid workspaceId, CancellationToken cancellationToken) => inner.FindAsync(workspaceId, cancellationToken);

    public Task<IReadOnlyList<(Workspace Workspace, WorkspaceRole Role)>> ListForUserAsync(Guid userId, CancellationToken cancellationToken) => inner.ListForUserAsync(userId, cancellationToken);

    public Task<IReadOnlyList<WorkspaceMember>> ListMembersAsync(Guid workspaceId, CancellationToken cancellationToken) => inner.ListMembersAsync(workspaceId, cancellationToken);

    public Task<MembershipChange> SetRoleAsync(Guid workspaceId, Guid userId, WorkspaceRole role, CancellationToken cancellationToken, OutboxMessage? announce = null) =>
        inner.SetRoleAsync(workspaceId, userId, role, cancellationToken, announce);

    public Task<MembershipChange> RemoveMemberAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken, OutboxMessage? announce = null) =>
        inner.RemoveMemberAsync(workspaceId, userId, cancellationToken, announce);

    public Task<bool> DeleteAsync(Guid workspaceId, CancellationToken cancellationToken, OutboxMessage? announce = null) => inner.DeleteAsync(workspaceId, cancellationToken, announce);
}
