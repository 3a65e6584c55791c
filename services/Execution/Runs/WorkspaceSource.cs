using Grpc.Core;
using WebIde.Contracts.FileSystem.V1;

namespace WebIde.Execution.Runs;

/// <summary>
/// A workspace's files from the filesystem service's stream, read with the caller's own token
/// (so a user sees exactly what their role lets them) or, for a service caller, with the
/// execution service's.
/// </summary>
public sealed class WorkspaceSource(Files.FilesClient files)
{
    public async Task<IReadOnlyList<SourceFile>> ReadAsync(Guid workspaceId, string? bearerToken, CancellationToken cancellationToken)
    {
        var headers = bearerToken is null ? null : new Metadata { { "authorization", $"Bearer {bearerToken}" } };
        var project = new List<SourceFile>();
        try
        {
            using var call = files.ReadWorkspace(new ReadWorkspaceRequest { WorkspaceId = workspaceId.ToString("D") }, headers, cancellationToken: cancellationToken);
            string? path = null;
            byte[]? content = null;
            await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                if (chunk.Path != path)
                {
                    path = chunk.Path;
                    content = new byte[chunk.Size];
                }
                chunk.Data.Span.CopyTo(content.AsSpan((int)chunk.Offset));
                if (chunk.Last)
                {
                    project.Add(new SourceFile(path, content!));
                }
            }
        }
        catch (RpcException exception) when (exception.StatusCode is StatusCode.NotFound or StatusCode.PermissionDenied)
        {
            throw new RunRequestException(RunRequestProblem.WorkspaceNotFound, "workspace not found");
        }
        catch (RpcException exception) when (exception.StatusCode is StatusCode.InvalidArgument)
        {
            throw new RunRequestException(RunRequestProblem.Invalid, exception.Status.Detail);
        }
        return project;
    }
}
