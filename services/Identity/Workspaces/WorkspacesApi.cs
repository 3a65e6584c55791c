using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WebIde.Contracts.Events;
using WebIde.Identity.Accounts;
using WebIde.Identity.Storage;
using WebIde.ServiceDefaults.Authentication;

namespace WebIde.Identity.Workspaces;

public static class WorkspacesApi
{
    public static IEndpointRouteBuilder MapWorkspacesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/workspaces")
            .WithTags("Workspaces")
            .RequireAuthorization()
            // Valid tokens that do not name a user (service tokens) have no workspaces.
            .AddEndpointFilter(async (context, next) =>
                context.HttpContext.User.GetUserId() is null ? WorkspaceProblems.NotAUser() : await next(context));

        api.MapPost("", CreateWorkspace).WithName("CreateWorkspace").WithSummary("Creates a workspace the caller owns.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("", ListWorkspaces).WithName("ListWorkspaces").WithSummary("The caller's workspaces with the caller's role in each.");
        // Ids are strings in the routes, not {id:guid}: a malformed id must get the same 404
        // body as an unknown one, not the router's bare 404.
        api.MapGet("/{id}", GetWorkspace).WithName("GetWorkspace").WithSummary("A workspace and its members.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/{id}", DeleteWorkspace).WithName("DeleteWorkspace").WithSummary("Deletes a workspace with everything in it (owner only).")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/{id}/members/{username}", SetMemberRole).WithName("SetMemberRole").WithSummary("Adds a member or changes their role (owner only).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete("/{id}/members/{username}", RemoveMember).WithName("RemoveMember").WithSummary("Removes a member (owner only).")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }

    public static async Task<Results<Created<WorkspaceSummary>, ProblemHttpResult>> CreateWorkspace(
        CreateWorkspaceRequest? request,
        ClaimsPrincipal user,
        [AsParameters] WorkspaceServices services,
        IOptions<WorkspaceLimits> limits,
        CancellationToken cancellationToken)
    {
        var name = WorkspaceName.Normalize(request?.Name, out var error);
        if (name is null)
        {
            return WorkspaceProblems.Invalid(error!);
        }

        var ownerId = user.GetRequiredUserId();
        // Two creations at once may both pass: the cap bounds abuse, it is not an exact count.
        var owned = (await services.Workspaces.ListForUserAsync(ownerId, cancellationToken)).Count(membership => membership.Role == WorkspaceRole.Owner);
        if (owned >= limits.Value.MaxOwnedPerUser)
        {
            return WorkspaceProblems.TooMany(limits.Value.MaxOwnedPerUser);
        }
        var workspace = new Workspace(Guid.CreateVersion7(), name, DateTimeOffset.UtcNow);
        await services.Workspaces.CreateAsync(workspace, ownerId, cancellationToken,
            services.Announcement(new WorkspaceCreated(workspace.Id, workspace.Name, ownerId, workspace.CreatedAt)));

        // A "none" may have been cached for this id by someone probing it; it is wrong now.
        await services.AnnouncedAsync(nameof(WorkspaceCreated),
            roles => roles.InvalidateAsync(workspace.Id, ownerId, CancellationToken.None));

        return TypedResults.Created($"/api/workspaces/{workspace.Id}", new WorkspaceSummary(workspace.Id, workspace.Name, WorkspaceRoles.Owner));
    }

    public static async Task<Ok<WorkspaceSummary[]>> ListWorkspaces(
        ClaimsPrincipal user,
        [AsParameters] WorkspaceServices services,
        CancellationToken cancellationToken)
    {
        var memberships = await services.Workspaces.ListForUserAsync(user.GetRequiredUserId(), cancellationToken);
        return TypedResults.Ok(memberships
            .OrderBy(membership => membership.Workspace.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(membership => membership.Workspace.Id)
            .Select(membership => new WorkspaceSummary(membership.Workspace.Id, membership.Workspace.Name, membership.Role.ToName()))
            .ToArray());
    }

    public static async Task<Results<Ok<WorkspaceDetails>, ProblemHttpResult>> GetWorkspace(
        string id,
        ClaimsPrincipal user,
        [AsParameters] WorkspaceServices services,
        CancellationToken cancellationToken)
    {
        var userId = user.GetRequiredUserId();
        if (!Guid.TryParse(id, out var workspaceId)
            || await services.Roles.GetRoleAsync(workspaceId, userId, cancellationToken) is not { } cachedRole
            || await services.Workspaces.FindAsync(workspaceId, cancellationToken) is not { } workspace)
        {
            return WorkspaceProblems.WorkspaceNotFound();
        }

        var members = await services.Workspaces.ListMembersAsync(workspaceId, cancellationToken);
        // The member list was read just now; the cache may be a moment behind it.
        var role = members.FirstOrDefault(member => member.UserId == userId)?.Role ?? cachedRole;
        return TypedResults.Ok(new WorkspaceDetails(
            workspace.Id,
            workspace.Name,
            role.ToName(),
            members
                .OrderByDescending(member => member.Role)
                .ThenBy(member => member.Username, StringComparer.OrdinalIgnoreCase)
                .Select(member => new WorkspaceMemberItem(member.UserId, member.Username, member.Role.ToName()))
                .ToArray()));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteWorkspace(
        string id,
        ClaimsPrincipal user,
        [AsParameters] WorkspaceServices services,
        CancellationToken cancellationToken)
    {
        var userId = user.GetRequiredUserId();
        var (workspaceId, refusal) = await AuthorizeOwnerAsync(id, userId, services, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!await services.Workspaces.DeleteAsync(workspaceId, cancellationToken,
            services.Announcement(new WorkspaceDeleted(workspaceId, userId, DateTimeOffset.UtcNow))))
        {
            return WorkspaceProblems.WorkspaceNotFound();
        }

        await services.AnnouncedAsync(nameof(WorkspaceDeleted),
            roles => roles.InvalidateWorkspaceAsync(workspaceId, CancellationToken.None));
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<WorkspaceMemberItem>, ProblemHttpResult>> SetMemberRole(
        string id,
        string username,
        SetMemberRoleRequest? request,
        ClaimsPrincipal user,
        [AsParameters] WorkspaceServices services,
        CancellationToken cancellationToken)
    {
        // Who may ask comes before what was asked: a non-member learns nothing, not even that
        // the body was wrong or the user unknown.
        var (workspaceId, refusal) = await AuthorizeOwnerAsync(id, user.GetRequiredUserId(), services, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!WorkspaceRoles.TryParse(request?.Role, out var role))
        {
            return WorkspaceProblems.Invalid($"The role must be one of '{WorkspaceRoles.Owner}', '{WorkspaceRoles.Editor}' or '{WorkspaceRoles.Viewer}'.");
        }

        if (await FindUserAsync(username, services, cancellationToken) is not { } member)
        {
            return WorkspaceProblems.UserNotFound(username);
        }

        var change = await services.Workspaces.SetRoleAsync(workspaceId, member.Id, role, cancellationToken,
            services.Announcement(new MembershipChanged(workspaceId, member.Id, role.ToName(), DateTimeOffset.UtcNow)));
        switch (change)
        {
            case MembershipChange.Added or MembershipChange.Updated:
                await MembershipChangeAnnouncedAsync(workspaceId, member.Id, services);
                break;
            case MembershipChange.Unchanged:
                // Nothing to announce, but a stale entry (one whose invalidation failed) heals here.
                await services.Roles.InvalidateAsync(workspaceId, member.Id, CancellationToken.None);
                break;
            case MembershipChange.LastOwner:
                return WorkspaceProblems.LastOwner();
            case MembershipChange.WorkspaceNotFound:
                // Deleted since the permission check.
                return WorkspaceProblems.WorkspaceNotFound();
            default:
                throw new InvalidOperationException($"The store answered {change} to a change of role.");
        }

        return TypedResults.Ok(new WorkspaceMemberItem(member.Id, member.Username, role.ToName()));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveMember(
        string id,
        string username,
        ClaimsPrincipal user,
        [AsParameters] WorkspaceServices services,
        CancellationToken cancellationToken)
    {
        var (workspaceId, refusal) = await AuthorizeOwnerAsync(id, user.GetRequiredUserId(), services, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (await FindUserAsync(username, services, cancellationToken) is not { } member)
        {
            return WorkspaceProblems.UserNotFound(username);
        }

        var change = await services.Workspaces.RemoveMemberAsync(workspaceId, member.Id, cancellationToken,
            services.Announcement(new MembershipChanged(workspaceId, member.Id, null, DateTimeOffset.UtcNow)));
        switch (change)
        {
            case MembershipChange.Removed:
                await MembershipChangeAnnouncedAsync(workspaceId, member.Id, services);
                return TypedResults.NoContent();
            case MembershipChange.NotAMember:
                return WorkspaceProblems.NotAMember(username);
            case MembershipChange.LastOwner:
                return WorkspaceProblems.LastOwner();
            case MembershipChange.WorkspaceNotFound:
                return WorkspaceProblems.WorkspaceNotFound();
            default:
                throw new InvalidOperationException($"The store answered {change} to a removal.");
        }
    }

    /// <summary>
    /// The workspace's id when the caller owns it; otherwise the answer: 404 when they cannot
    /// see it (malformed id, no such workspace, not a member), 403 when their role is too low.
    /// </summary>
    private static async Task<(Guid WorkspaceId, ProblemHttpResult? Refusal)> AuthorizeOwnerAsync(
        string id, Guid userId, WorkspaceServices services, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var workspaceId))
        {
            return (default, WorkspaceProblems.WorkspaceNotFound());
        }

        return await services.Roles.GetRoleAsync(workspaceId, userId, cancellationToken) switch
        {
            null => (workspaceId, WorkspaceProblems.WorkspaceNotFound()),
            WorkspaceRole.Owner => (workspaceId, null),
            _ => (workspaceId, WorkspaceProblems.OwnerOnly()),
        };
    }

    private static Task<UserAccount?> FindUserAsync(string username, WorkspaceServices services, CancellationToken cancellationToken) =>
        services.Users.FindByNormalizedUsernameAsync(Credentials.Normalize(username), cancellationToken);

    private static Task MembershipChangeAnnouncedAsync(Guid workspaceId, Guid userId, WorkspaceServices services) =>
        services.AnnouncedAsync(nameof(MembershipChanged),
            roles => roles.InvalidateAsync(workspaceId, userId, CancellationToken.None));
}
