using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using WebIde.FileSystem.Apis;
using WebIde.ServiceDefaults.Authentication;
using WebIde.ServiceDefaults.Authorization;

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

        var (role, refusal) = await DecideAsync(workspaceId, userId, needed, cancellationToken);
        return refusal switch
        {
            AccessRefusal.NotAMember => (null, FileProblems.WorkspaceNotFound()),
            AccessRefusal.RoleTooLow => (null, FileProblems.RoleTooLow(needed)),
            _ => (new WorkspaceGrant(workspaceId, userId, role), null),
        };
    }

    /// <summary>The user's role, and why it is not enough for <paramref name="needed"/> (null when it is); every API answers from this.</summary>
    public async Task<(WorkspaceRole Role, AccessRefusal? Refusal)> DecideAsync(Guid workspaceId, Guid userId, WorkspaceRole needed, CancellationToken cancellationToken)
    {
        var role = await roles.GetRoleAsync(workspaceId, userId, cancellationToken);
        return (role, role == WorkspaceRole.None ? AccessRefusal.NotAMember : role < needed ? AccessRefusal.RoleTooLow : null);
    }
}
