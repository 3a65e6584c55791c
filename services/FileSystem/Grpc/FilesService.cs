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
/// service token may act in any workspace, on behalf of the user it names; a user's token is
/// held to that user's role, exactly as over REST.
/// </summary>
[Authorize]
public sealed class FilesService(WorkspaceFiles files, WorkspaceAccess access) : FilesContract.FilesBase
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
        var path = ValidPath(request.Path);
        var condition = !request.HasExpectedVersion ? WriteCondition.None
            : request.ExpectedVersion == 0 ? WriteCondition.CreateOnly
            : request.ExpectedVersion > 0 ? WriteCondition.AtVersion(request.ExpectedVersion)
            : throw new RpcException(new Status(StatusCode.InvalidArgument, "expected_version may not be negative."));

        var mutation = await files.WriteAsync(new FileWrite(workspaceId, path, request.Content.Memory, condition, userId), context.CancellationToken);
        if (mutation.Change is not { } change)
        {
            throw new RpcException(new Status(mutation.Status switch
            {
                MutationStatus.PreconditionFailed => StatusCode.FailedPrecondition,
                MutationStatus.Conflict => StatusCode.AlreadyExists,
                MutationStatus.QuotaExceeded => StatusCode.ResourceExhausted,
                MutationStatus.NotFound => StatusCode.NotFound,
                _ => StatusCode.InvalidArgument,
            }, mutation.Detail ?? mutation.Status.ToString()));
        }

        return new WriteFileResponse
        {
            Path = path,
            Version = change.Version!.Value,
            Size = request.Content.Length,
            Created = change.Type == ChangeType.Created,
        };
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
}
