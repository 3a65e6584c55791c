using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using WebIde.FileSystem.Apis;
using WebIde.ServiceDefaults.Authentication;

namespace WebIde.FileSystem.Access;

/// <summary>
/// Decides whether the caller may touch a workspace's files: viewers read, editors write,
/// and anyone else (including for an id that is not one) hears that the workspace does not
/// exist, in the same words, so nobody learns which workspaces exist.
/// </summary>
public sealed class WorkspaceAccess(IWorkspaceRoles roles)
{
    public async Task<(WorkspaceGrant? Grant, ProblemHttpResult? Refusal)> CheckAsync(
        string id, ClaimsPrincipal caller, WorkspaceRole needed, CancellationToken cancellationToken)
    {
        if (caller.GetUserId() is not { } userId)
        {
            return (null, FileProblems.NotAUser());
        }
        if (!Guid.TryParse(id, out var workspaceId))
        {
            return (null, FileProblems.WorkspaceNotFound());
        }

        var role = await roles.GetRoleAsync(workspaceId, userId, cancellationToken);
        if (role == WorkspaceRole.None)
        {
            return (null, FileProblems.WorkspaceNotFound());
        }
        if (role < needed)
        {
            return (null, FileProblems.RoleTooLow(needed));
        }
        return (new WorkspaceGrant(workspaceId, userId, role), null);
    }
}
