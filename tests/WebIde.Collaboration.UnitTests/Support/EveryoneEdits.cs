using WebIde.ServiceDefaults.Authorization;

namespace WebIde.Collaboration.UnitTests.Support;

/// <summary>Roles where every user is an editor of every workspace.</summary>
public sealed class EveryoneEdits : IWorkspaceRoles
{
    public Task<WorkspaceRole> GetRoleAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken) => Task.FromResult(WorkspaceRole.Editor);

    public Task<WorkspaceRole> RefreshAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken) => Task.FromResult(WorkspaceRole.Editor);

    public void Forget(Guid workspaceId, Guid userId)
    {
    }

    public void ForgetWorkspace(Guid workspaceId)
    {
    }
}
