using Microsoft.AspNetCore.Http.HttpResults;
using WebIde.FileSystem.Access;
using WebIde.FileSystem.Storage;
using WebIde.ServiceDefaults.Authorization;

namespace WebIde.FileSystem.Apis;

/// <summary>The file API's problem+json answers, worded once so equal cases answer equally.</summary>
public static class FileProblems
{
    public static ProblemHttpResult WorkspaceNotFound() =>
        TypedResults.Problem(title: "Workspace not found", detail: "There is no such workspace, or you are not a member of it.", statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult NotAUser() =>
        TypedResults.Problem(title: "Forbidden", detail: "Workspaces belong to users; this token does not identify a user.", statusCode: StatusCodes.Status403Forbidden);

    public static ProblemHttpResult RoleTooLow(WorkspaceRole needed) =>
        TypedResults.Problem(title: "Forbidden", detail: $"This needs the {needed.ToString().ToLowerInvariant()} role in the workspace.", statusCode: StatusCodes.Status403Forbidden);

    public static ProblemHttpResult InvalidPath(string detail) =>
        TypedResults.Problem(title: "Invalid path", detail: detail, statusCode: StatusCodes.Status400BadRequest);

    public static ProblemHttpResult Invalid(string detail) =>
        TypedResults.Problem(title: "Invalid request", detail: detail, statusCode: StatusCodes.Status400BadRequest);

    public static ProblemHttpResult FileNotFound(string path) =>
        TypedResults.Problem(title: "File not found", detail: $"There is no file at '{path}'.", statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult TooManyStreams(int most) =>
        TypedResults.Problem(title: "Too many event streams", detail: $"You have {most} event streams open already (on this server): close one.", statusCode: StatusCodes.Status429TooManyRequests);

    public static ProblemHttpResult TooLarge(string detail) =>
        TypedResults.Problem(title: "Too large", detail: detail, statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>The answer to a change the store refused.</summary>
    public static ProblemHttpResult Refused(FileMutation mutation) => mutation.Status switch
    {
        MutationStatus.NotFound => TypedResults.Problem(title: "Not found", detail: mutation.Detail, statusCode: StatusCodes.Status404NotFound),
        MutationStatus.PreconditionFailed => TypedResults.Problem(title: "Precondition failed", detail: mutation.Detail, statusCode: StatusCodes.Status412PreconditionFailed),
        MutationStatus.Conflict => TypedResults.Problem(title: "Conflict", detail: mutation.Detail, statusCode: StatusCodes.Status409Conflict),
        MutationStatus.QuotaExceeded => TooLarge(mutation.Detail ?? "Over the limit."),
        MutationStatus.Invalid => Invalid(mutation.Detail ?? "Invalid request."),
        _ => throw new ArgumentOutOfRangeException(nameof(mutation), mutation.Status, "Not a refusal."),
    };
}
