using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using WebIde.Contracts.FileSystem.V1;
using WebIde.FileSystem.Access;
using WebIde.FileSystem.Files;
using WebIde.FileSystem.Storage;
using WebIde.ServiceDefaults.Authentication;
using WebIde.ServiceDefaults.Authorization;
using FilesContract = WebIde.Contracts.FileSystem.V1.Files;
using ProtoTreeEntry = WebIde.Contracts.FileSystem.V1.TreeEntry;

namespace WebIde.FileSystem.Grpc;

/// <summary>
/// Files for the other services (collaboration's snapshots, execution's project files). A
/// service token may act in any workspace, on behalf of the user it names, as far as its
/// scopes go: <c>files:read</c> to read, <c>files:write</c> to write. A user's token is held
/// to that user's role, exactly as over REST.
/// </summary>
[Authorize]
public sealed class FilesService(WorkspaceFiles files, WorkspaceAccess access, ILogger<FilesService> logger) : FilesContract.FilesBase
{
    public const int ChunkBytes = 1024 * 1024;

    public override async Task<FileContent> ReadFile(ReadFileRequest request, ServerCallContext context)
    {
        var (workspaceId, _) = await AdmitAsync(request.WorkspaceId, null, WorkspaceRole.Viewer, context);
        var path = ValidPath(request.Path);
        var file = await files.ReadAsync(workspaceId, path, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"There is no file at '{path}'."));
        return new FileContent
        {
            Path = file.Path,
            Content = ByteString.CopyFrom(file.Content),
            Version = file.Version,
            ModifiedAtUnixMs = file.ModifiedAt.ToUnixTimeMilliseconds(),
        };
    }

    public override async Task<WriteFileResponse> WriteFile(WriteFileRequest request, ServerCallContext context)
    {
        var (workspaceId, userId) = await AdmitAsync(request.WorkspaceId, request.UserId, WorkspaceRole.Editor, context);
        var mutation = await files.WriteAsync(ToWrite(request, workspaceId, userId), context.CancellationToken);
        return mutation.Change is { } change ? Written(request, change) : throw new RpcException(Refusal(mutation));
    }

    /// <summary>
    /// Each item answered as <see cref="WriteFile"/> would answer it, but with one role check
    /// per workspace and user, and one store batch (one transaction) per workspace.
    /// </summary>
    public override async Task<WriteFilesResponse> WriteFiles(WriteFilesRequest request, ServerCallContext context)
    {
        // A missing scope refuses the call as a whole, as a missing token does, not item by item.
        context.GetHttpContext().User.DemandServiceScope(ServiceScopes.FilesWrite);
        var items = request.Files;
        if (items.Count > FilesLimits.MaxWritesPerCall)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"At most {FilesLimits.MaxWritesPerCall} files per call; this one has {items.Count}."));
        }

        // Started together, awaited in the items' order; a refusal refuses every item of its pair.
        var admissions = new Dictionary<(string Workspace, string User), Task<(Guid WorkspaceId, Guid UserId)>>();
        foreach (var item in items)
        {
            var pair = (item.WorkspaceId, item.UserId);
            if (!admissions.ContainsKey(pair))
            {
                admissions[pair] = AdmitAsync(item.WorkspaceId, item.UserId, WorkspaceRole.Editor, context);
            }
        }

        var results = new WriteFileResult[items.Count];
        var admitted = new List<(int Index, FileWrite Write)>();
        for (var index = 0; index < items.Count; index++)
        {
            try
            {
                var (workspaceId, userId) = await admissions[(items[index].WorkspaceId, items[index].UserId)];
                admitted.Add((index, ToWrite(items[index], workspaceId, userId)));
            }
            catch (RpcException refused)
            {
                results[index] = Failed(refused.Status);
            }
        }

        foreach (var workspace in admitted.GroupBy(item => item.Write.WorkspaceId))
        {
            var batch = workspace.ToList();
            try
            {
                var mutations = await files.WriteFilesAsync(workspace.Key, batch.Select(item => item.Write).ToList(), context.CancellationToken);
                foreach (var ((index, _), mutation) in batch.Zip(mutations))
                {
                    results[index] = mutation.Change is { } change
                        ? new WriteFileResult { Written = Written(items[index], change) }
                        : Failed(Refusal(mutation));
                }
            }
            catch (Exception exception) when (!context.CancellationToken.IsCancellationRequested)
            {
                // What WriteFile's caller hears when the store fails, for this workspace's items
                // only: the other workspaces' writes stand and must be answered.
                logger.LogError(exception, "Writing {Count} files of workspace {WorkspaceId} failed", batch.Count, workspace.Key);
                foreach (var (index, _) in batch)
                {
                    results[index] = Failed(new Status(StatusCode.Unknown, "Exception was thrown by handler."));
                }
            }
        }

        return new WriteFilesResponse { Results = { results } };
    }

    public override async Task<Tree> ListTree(ListTreeRequest request, ServerCallContext context)
    {
        var (workspaceId, _) = await AdmitAsync(request.WorkspaceId, null, WorkspaceRole.Viewer, context);
        var tree = new Tree();
        foreach (var entry in await files.ListTreeAsync(workspaceId, context.CancellationToken))
        {
            tree.Entries.Add(new ProtoTreeEntry
            {
                Path = entry.Path,
                IsDirectory = entry.Type == EntryType.Directory,
                Size = entry.Size ?? 0,
                Version = entry.Version ?? 0,
                ModifiedAtUnixMs = entry.ModifiedAt?.ToUnixTimeMilliseconds() ?? 0,
            });
        }
        return tree;
    }

    public override async Task ReadWorkspace(ReadWorkspaceRequest request, IServerStreamWriter<WorkspaceFileChunk> responseStream, ServerCallContext context)
    {
        var (workspaceId, _) = await AdmitAsync(request.WorkspaceId, null, WorkspaceRole.Viewer, context);
        await foreach (var file in files.ReadAllAsync(workspaceId, context.CancellationToken))
        {
            var offset = 0;
            do
            {
                var length = Math.Min(ChunkBytes, file.Content.Length - offset);
                await responseStream.WriteAsync(new WorkspaceFileChunk
                {
                    Path = file.Path,
                    Version = file.Version,
                    Size = file.Content.Length,
                    Offset = offset,
                    Data = ByteString.CopyFrom(file.Content, offset, length),
                    Last = offset + length == file.Content.Length,
                }, context.CancellationToken);
                offset += length;
            }
            while (offset < file.Content.Length);
        }
    }

    /// <summary>The workspace and the user the call acts for, or the status that refuses it.</summary>
    private async Task<(Guid WorkspaceId, Guid UserId)> AdmitAsync(string workspace, string? onBehalfOf, WorkspaceRole needed, ServerCallContext context)
    {
        if (!Guid.TryParse(workspace, out var workspaceId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "workspace_id is not a UUID."));
        }

        var caller = context.GetHttpContext().User;
        if (caller.IsService())
        {
            // Reading needs what a viewer may do, writing what an editor may: the service's scope says whether it may.
            caller.DemandServiceScope(needed >= WorkspaceRole.Editor ? ServiceScopes.FilesWrite : ServiceScopes.FilesRead);
            if (string.IsNullOrEmpty(onBehalfOf))
            {
                return (workspaceId, Guid.Empty);
            }
            return Guid.TryParse(onBehalfOf, out var userId)
                ? (workspaceId, userId)
                : throw new RpcException(new Status(StatusCode.InvalidArgument, "user_id is not a UUID."));
        }

        var user = caller.GetUserId() ?? throw new RpcException(new Status(StatusCode.PermissionDenied, "This token identifies neither a user nor a service."));
        var (_, refusal) = await access.DecideAsync(workspaceId, user, needed, context.CancellationToken);
        return refusal switch
        {
            AccessRefusal.NotAMember => throw new RpcException(new Status(StatusCode.NotFound, "There is no such workspace, or you are not a member of it.")),
            AccessRefusal.RoleTooLow => throw new RpcException(new Status(StatusCode.PermissionDenied, $"This needs the {needed.ToString().ToLowerInvariant()} role in the workspace.")),
            _ => (workspaceId, user),
        };
    }

    private static string ValidPath(string path) => WorkspacePath.TryValidate(path, out var error)
        ? path
        : throw new RpcException(new Status(StatusCode.InvalidArgument, error));

    /// <summary>The write a request asks for, or the status that refuses it.</summary>
    private static FileWrite ToWrite(WriteFileRequest request, Guid workspaceId, Guid userId) =>
        new(workspaceId, ValidPath(request.Path), request.Content.Memory, Condition(request), userId);

    private static WriteCondition Condition(WriteFileRequest request) =>
        !request.HasExpectedVersion ? WriteCondition.None
        : request.ExpectedVersion == 0 ? WriteCondition.CreateOnly
        : request.ExpectedVersion > 0 ? WriteCondition.AtVersion(request.ExpectedVersion)
        : throw new RpcException(new Status(StatusCode.InvalidArgument, "expected_version may not be negative."));

    private static WriteFileResponse Written(WriteFileRequest request, FileChange change) => new()
    {
        Path = request.Path,
        Version = change.Version!.Value,
        Size = request.Content.Length,
        Created = change.Type == ChangeType.Created,
    };

    /// <summary>The status a refused write is answered with (filesystem.proto lists them).</summary>
    private static Status Refusal(FileMutation mutation) => new(mutation.Status switch
    {
        MutationStatus.PreconditionFailed => StatusCode.FailedPrecondition,
        MutationStatus.Conflict => StatusCode.AlreadyExists,
        MutationStatus.QuotaExceeded => StatusCode.ResourceExhausted,
        MutationStatus.NotFound => StatusCode.NotFound,
        _ => StatusCode.InvalidArgument,
    }, mutation.Detail ?? mutation.Status.ToString());

    private static WriteFileResult Failed(Status status) => new()
    {
        Error = new WriteFileError { StatusCode = (int)status.StatusCode, Detail = status.Detail },
    };
}
