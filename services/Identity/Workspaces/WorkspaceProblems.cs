using Microsoft.AspNetCore.Http.HttpResults;

namespace WebIde.Identity.Workspaces;

/// <summary>The workspace API's problem+json answers, worded once so equal cases answer equally.</summary>
public static class WorkspaceProblems
{
    /// <summary>
    /// One body for "no such workspace", "not a member" and "not an id": a non-member must not
    /// be able to tell them apart.
    /// </summary>
    public static ProblemHttpResult WorkspaceNotFound() =>
        TypedResults.Problem(title: "Workspace not found", detail: "There is no such workspace, or you are not a member of it.", statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult NotAUser() =>
        TypedResults.Problem(title: "Forbidden", detail: "Workspaces belong to users; this token does not identify a user.", statusCode: StatusCodes.Status403Forbidden);

    public static ProblemHttpResult OwnerOnly() =>
        TypedResults.Problem(title: "Forbidden", detail: "Only an owner of the workspace can do this.", statusCode: StatusCodes.Status403Forbidden);

    public static ProblemHttpResult Invalid(string detail) =>
        TypedResults.Problem(title: "Invalid request", detail: detail, statusCode: StatusCodes.Status400BadRequest);

    public static ProblemHttpResult UserNotFound(string username) =>
        TypedResults.Problem(title: "User not found", detail: $"The user '{username}' was not found.", statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult NotAMember(string username) =>
        TypedResults.Problem(title: "Member not found", detail: $"The user '{username}' is not a member of this workspace.", statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult TooMany(int most) =>
        TypedResults.Problem(title: "Too many workspaces", detail: $"You own {most} workspaces, the most an account may own: delete one first.", statusCode: StatusCodes.Status409Conflict);

    public static ProblemHttpResult LastOwner() =>
        TypedResults.Problem(title: "Last owner", detail: "A workspace keeps at least one owner: make another member owner first.", statusCode: StatusCodes.Status409Conflict);
}
