using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WebIde.FileSystem.Access;
using WebIde.FileSystem.Files;
using WebIde.FileSystem.Storage;
using WebIde.ServiceDefaults.Authorization;
using WebIde.ServiceDefaults.OpenApi;

namespace WebIde.FileSystem.Apis;

/// <summary>docs/api.md §3: a workspace's tree and files over REST.</summary>
public static class FilesApi
{
    private const string MoveShape = "The body must be JSON: {\"from\": path, \"to\": path, \"overwrite\"?: true|false}.";

    public static IEndpointRouteBuilder MapFilesApi(this IEndpointRouteBuilder app)
    {
        // Ids are strings, not {id:guid}: a malformed id must get the same 404 as an unknown one.
        var api = app.MapGroup("/api/workspaces/{id}").WithTags("Files").RequireAuthorization();
        api.MapGet("/tree", GetTree).WithName("GetTree").WithSummary("Every file and directory of the workspace.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        // The handlers below answer IResult (bytes or JSON, by case): their answers are declared here.
        api.MapGet("/usage", GetUsage).WithName("GetUsage").WithSummary("What the workspace, and the account that pays for it, hold against their quotas.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/files/{**path}", ReadFile).WithName("ReadFile").WithSummary("A file's bytes, its version as the ETag.")
            .Produces<byte[]>(StatusCodes.Status200OK, "application/octet-stream").Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/files/{**path}", WriteFile).WithName("WriteFile").WithSummary("Creates or replaces a file; If-Match / If-None-Match make it conditional.")
            .DescribesBody<byte[]>("application/octet-stream")
            .Produces<FileWritten>(StatusCodes.Status200OK).Produces<FileWritten>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapDelete("/files/{**path}", Delete).WithName("DeleteEntry").WithSummary("Deletes a file, or a directory with everything under it.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        api.MapPost("/directories/{**path}", CreateDirectory).WithName("CreateDirectory").WithSummary("Creates a directory and any missing parents.")
            .Produces<DirectoryCreated>(StatusCodes.Status201Created).Produces<DirectoryCreated>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapPost("/move", Move).WithName("Move").WithSummary("Moves or renames a file or a directory.")
            .DescribesBody<MoveRequest>("application/json")
            .Produces<EntryMoved>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    public static async Task<Results<Ok<TreeResponse>, ProblemHttpResult>> GetTree(
        string id, ClaimsPrincipal user, WorkspaceAccess access, WorkspaceFiles files, CancellationToken cancellationToken)
    {
        var (grant, refusal) = await access.CheckAsync(id, user, WorkspaceRole.Viewer, cancellationToken);
        if (grant is null)
        {
            return refusal!;
        }

        var entries = await files.ListTreeAsync(grant.WorkspaceId, cancellationToken);
        return TypedResults.Ok(new TreeResponse(entries.Select(entry => new TreeEntryResponse(
            entry.Path, TypeName(entry.Type), entry.Size, entry.Version, entry.ModifiedAt)).ToList()));
    }

    public static async Task<Results<Ok<UsageResponse>, ProblemHttpResult>> GetUsage(
        string id, ClaimsPrincipal user, WorkspaceAccess access, WorkspaceFiles files, IOptions<FileLimits> limits, CancellationToken cancellationToken)
    {
        var (grant, refusal) = await access.CheckAsync(id, user, WorkspaceRole.Viewer, cancellationToken);
        if (grant is null)
        {
            return refusal!;
        }

        var (workspace, account) = await files.GetUsageAsync(grant.WorkspaceId, cancellationToken);
        var quota = limits.Value;
        return TypedResults.Ok(new UsageResponse(workspace.Bytes, workspace.Entries, quota.MaxWorkspaceBytes, quota.MaxWorkspaceEntries,
            account is null ? null : new AccountUsageResponse(account.Bytes, quota.MaxAccountBytes)));
    }

    public static async Task<IResult> ReadFile(
        string id, HttpContext context, WorkspaceAccess access, WorkspaceFiles files, CancellationToken cancellationToken)
    {
        var (grant, path, refusal) = await AdmitAsync(id, context, access, WorkspaceRole.Viewer, cancellationToken);
        if (grant is null || path is null)
        {
            return refusal!;
        }

        var file = await files.ReadAsync(grant.WorkspaceId, path, cancellationToken);
        if (file is null)
        {
            return FileProblems.FileNotFound(path);
        }

        var tag = EntityTags.For(file.Version);
        context.Response.Headers.ETag = tag;
        context.Response.Headers.CacheControl = "private, no-cache";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        if (context.Request.Headers.IfNoneMatch.Any(value => value is not null && value.Split(',').Any(candidate => candidate.Trim() == tag || candidate.Trim() == "*")))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Bytes(file.Content, "application/octet-stream", lastModified: file.ModifiedAt);
    }

    public static async Task<IResult> WriteFile(
        string id, HttpContext context, WorkspaceAccess access, WorkspaceFiles files, IOptions<FileLimits> limits, CancellationToken cancellationToken)
    {
        var (grant, path, refusal) = await AdmitAsync(id, context, access, WorkspaceRole.Editor, cancellationToken);
        if (grant is null || path is null)
        {
            return refusal!;
        }
        if (EntityTags.ReadCondition(context.Request, out var error) is not { } condition)
        {
            return FileProblems.Invalid(error!);
        }

        var limit = limits.Value.MaxFileBytes;
        if (context.Request.ContentLength > limit)
        {
            return FileProblems.TooLarge($"The file is {context.Request.ContentLength} bytes; the limit is {limit}.");
        }
        var content = await ReadBodyAsync(context.Request, limit, cancellationToken);
        if (content is null)
        {
            return FileProblems.TooLarge($"The file is over the limit of {limit} bytes.");
        }

        var mutation = await files.WriteAsync(new FileWrite(grant.WorkspaceId, path, content, condition, grant.UserId), cancellationToken);
        if (mutation.Change is not { } change)
        {
            return FileProblems.Refused(mutation);
        }

        context.Response.Headers.ETag = EntityTags.For(change.Version!.Value);
        var written = new FileWritten(path, change.Version.Value, content.Length);
        return change.Type == ChangeType.Created
            ? TypedResults.Created(FileLocation(grant.WorkspaceId, path), written)
            : TypedResults.Ok(written);
    }

    public static async Task<IResult> Delete(
        string id, HttpContext context, WorkspaceAccess access, WorkspaceFiles files, CancellationToken cancellationToken)
    {
        var (grant, path, refusal) = await AdmitAsync(id, context, access, WorkspaceRole.Editor, cancellationToken);
        if (grant is null || path is null)
        {
            return refusal!;
        }

        long? expected = null;
        var ifMatch = context.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0 && ifMatch.Trim() != "*")
        {
            if (!EntityTags.TryParse(ifMatch, out var version))
            {
                return FileProblems.Invalid("If-Match must be '*' or one version in quotes, like \"3\".");
            }
            expected = version;
        }

        var mutation = await files.DeleteAsync(grant.WorkspaceId, path, expected, grant.UserId, cancellationToken);
        return mutation.Change is null ? FileProblems.Refused(mutation) : TypedResults.NoContent();
    }

    public static async Task<IResult> CreateDirectory(
        string id, HttpContext context, WorkspaceAccess access, WorkspaceFiles files, CancellationToken cancellationToken)
    {
        var (grant, path, refusal) = await AdmitAsync(id, context, access, WorkspaceRole.Editor, cancellationToken);
        if (grant is null || path is null)
        {
            return refusal!;
        }

        var mutation = await files.CreateDirectoryAsync(grant.WorkspaceId, path, grant.UserId, cancellationToken);
        if (mutation.Status != MutationStatus.Done)
        {
            return FileProblems.Refused(mutation);
        }

        var created = new DirectoryCreated(path, TypeName(EntryType.Directory));
        // Asking again for a directory that exists is not an error (mkdir -p): it is already so.
        return mutation.Change is null ? TypedResults.Ok(created) : TypedResults.Created((string?)null, created);
    }

    public static async Task<IResult> Move(
        string id, HttpContext context, WorkspaceAccess access, WorkspaceFiles files, CancellationToken cancellationToken)
    {
        var (grant, refusal) = await access.CheckAsync(id, context.User, WorkspaceRole.Editor, cancellationToken);
        if (grant is null)
        {
            return refusal!;
        }
        var (request, problem) = await JsonRequestBody.ReadAsync<MoveRequest>(context.Request, MoveShape, cancellationToken);
        if (request is null)
        {
            return problem!;
        }
        if (!WorkspacePath.TryValidate(request.From, out var error))
        {
            return FileProblems.InvalidPath($"from: {error}");
        }
        if (!WorkspacePath.TryValidate(request.To, out error))
        {
            return FileProblems.InvalidPath($"to: {error}");
        }

        var mutation = await files.MoveAsync(grant.WorkspaceId, request.From, request.To, request.Overwrite ?? false, grant.UserId, cancellationToken);
        if (mutation.Change is not { } change)
        {
            return FileProblems.Refused(mutation);
        }
        return TypedResults.Ok(new EntryMoved(request.From, request.To, TypeName(change.EntryType), change.Version));
    }

    /// <summary>The caller's grant and the file path the target names, or the problem that refuses the call (access first).</summary>
    private static async Task<(WorkspaceGrant? Grant, string? Path, IResult? Refusal)> AdmitAsync(
        string id, HttpContext context, WorkspaceAccess access, WorkspaceRole needed, CancellationToken cancellationToken)
    {
        var (grant, refusal) = await access.CheckAsync(id, context.User, needed, cancellationToken);
        if (grant is null)
        {
            return (null, null, refusal);
        }
        return RequestedPath.TryRead(context, out var path, out var error)
            ? (grant, path, null)
            : (null, null, FileProblems.InvalidPath(error));
    }

    public static string TypeName(EntryType type) => type == EntryType.Directory ? "directory" : "file";

    private static string FileLocation(Guid workspaceId, string path) =>
        $"/api/workspaces/{workspaceId}/files/{string.Join('/', path.Split('/').Select(Uri.EscapeDataString))}";

    /// <summary>The body, or null when it is longer than <paramref name="limit"/> (read no further than that).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 0);
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
