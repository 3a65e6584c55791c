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
    /// <summary>
    /// The workspace's files; refused as too large (and the stream left) as soon as the files
    /// announced so far pass <paramref name="maxBytes"/> as <see cref="ProjectSize"/> counts, before
    /// the file that passes it is allocated: no more than the budget is ever held.
    /// </summary>
    public async Task<IReadOnlyList<SourceFile>> ReadAsync(Guid workspaceId, string? bearerToken, long maxBytes, CancellationToken cancellationToken)
    {
        var headers = bearerToken is null ? null : new Metadata { { "authorization", $"Bearer {bearerToken}" } };
        var project = new List<SourceFile>();
        long size = 0;
        try
        {
            using var call = files.ReadWorkspace(new ReadWorkspaceRequest { WorkspaceId = workspaceId.ToString("D") }, headers, cancellationToken: cancellationToken);
            string? path = null;
            byte[]? content = null;
            await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                if (chunk.Path != path)
                {
                    // Each chunk repeats its file's whole size: a file is counted, and refused, on its first.
                    size += ProjectSize.Of(chunk.Path, chunk.Size);
                    if (size > maxBytes)
                    {
                        throw ProjectSize.TooLarge(maxBytes);
                    }
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
