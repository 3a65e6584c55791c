using System.Collections.Concurrent;
using WebIde.ServiceDefaults.Authorization;

namespace WebIde.FileSystem.UnitTests.Grpc;

/// <summary>Roles a test sets (nobody has one until then), counting how often they are asked for.</summary>
public sealed class FixedRoles : IWorkspaceRoles
{
    private readonly ConcurrentDictionary<(Guid WorkspaceId, Guid UserId), WorkspaceRole> _roles = new();
    private int _asked;

    public int Asked => Volatile.Read(ref _asked);

    public void Set(Guid workspaceId, Guid userId, WorkspaceRole role) => _roles[(workspaceId, userId)] = role;

    public Task<WorkspaceRole> GetRoleAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _asked);
        return Task.FromResult(_roles.GetValueOrDefault((workspaceId, userId), WorkspaceRole.None));
    }

    public Task<WorkspaceRole> RefreshAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken) =>
        GetRoleAsync(workspaceId, userId, cancellationToken);

    public void Forget(Guid workspaceId, Guid userId)
    {
    }

    public void ForgetWorkspace(Guid workspaceId)
    {
    }
}
