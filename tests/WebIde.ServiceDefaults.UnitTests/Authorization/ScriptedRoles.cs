using System.Collections.Concurrent;
using WebIde.ServiceDefaults.Authorization;

namespace WebIde.ServiceDefaults.UnitTests.Authorization;

/// <summary>Identity as a test scripts it: roles it sets, an outage it switches on, and every question counted.</summary>
public sealed class ScriptedRoles : IWorkspaceRoles
{
    private readonly ConcurrentDictionary<(Guid WorkspaceId, Guid UserId), WorkspaceRole> _roles = new();
    private readonly ConcurrentQueue<(Guid WorkspaceId, Guid UserId)> _asked = new();

    public bool Unreachable { get; set; }

    public IReadOnlyList<(Guid WorkspaceId, Guid UserId)> Asked => [.. _asked];

    public void Set(Guid workspaceId, Guid userId, WorkspaceRole role) => _roles[(workspaceId, userId)] = role;

    public Task<WorkspaceRole> GetRoleAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("The watcher must not read the remembered role.");

    public Task<WorkspaceRole> RefreshAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken)
    {
        _asked.Enqueue((workspaceId, userId));
        return Unreachable
            ? Task.FromException<WorkspaceRole>(new HttpRequestException("identity is unreachable"))
            : Task.FromResult(_roles.GetValueOrDefault((workspaceId, userId), WorkspaceRole.None));
    }

    public void Forget(Guid workspaceId, Guid userId)
    {
    }

    public void ForgetWorkspace(Guid workspaceId)
    {
    }
}
