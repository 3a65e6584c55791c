using System.Text;
using Grpc.Core;
using WebIde.Contracts.FileSystem.V1;

namespace WebIde.Collaboration.Documents;

/// <summary>Files as the filesystem service holds them, read and written with this service's own token.</summary>
public sealed class FileSource(Files.FilesClient files)
{
    /// <summary>The most writes filesystem takes in one <c>WriteFiles</c> call.</summary>
    public const int MaxWritesPerCall = 256;

    public async Task<(string Text, long Version)?> ReadAsync(DocumentKey key, CancellationToken cancellationToken)
    {
        try
        {
            var file = await files.ReadFileAsync(new ReadFileRequest { WorkspaceId = key.WorkspaceId.ToString("D"), Path = key.Path }, cancellationToken: cancellationToken);
            return (Encoding.UTF8.GetString(file.Content.Span), file.Version);
        }
        catch (RpcException exception) when (exception.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument)
        {
            return null;
        }
    }

    /// <summary>Writes <paramref name="text"/> if the file is still at <paramref name="expectedVersion"/>; the new version, or null when it is not.</summary>
    /// <exception cref="RpcException">NOT_FOUND when the file or the workspace is gone.</exception>
    public async Task<long?> WriteAsync(DocumentKey key, string text, long expectedVersion, Guid onBehalfOf, CancellationToken cancellationToken)
    {
        try
        {
            var written = await files.WriteFileAsync(Request(new SnapshotWrite(key, text, expectedVersion, onBehalfOf)), cancellationToken: cancellationToken);
            return written.Version;
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.FailedPrecondition)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes several documents' files in as few calls as filesystem allows (one per
    /// <see cref="MaxWritesPerCall"/>): what became of each, in order. A call that fails as a
    /// whole (filesystem unreachable) is every one of its writes' result.
    /// </summary>
    public async Task<IReadOnlyList<SnapshotWriteResult>> WriteManyAsync(IReadOnlyList<SnapshotWrite> writes, CancellationToken cancellationToken)
    {
        var results = new List<SnapshotWriteResult>(writes.Count);
        foreach (var chunk in writes.Chunk(MaxWritesPerCall))
        {
            var request = new WriteFilesRequest();
            request.Files.Add(chunk.Select(Request));
            try
            {
                var response = await files.WriteFilesAsync(request, cancellationToken: cancellationToken);
                results.AddRange(response.Results.Select(result => result.OutcomeCase == WriteFileResult.OutcomeOneofCase.Written
                    ? SnapshotWriteResult.Written(result.Written.Version)
                    : new SnapshotWriteResult((StatusCode)result.Error.StatusCode, Detail: result.Error.Detail)));
            }
            catch (RpcException exception)
            {
                results.AddRange(chunk.Select(_ => new SnapshotWriteResult(exception.StatusCode, Detail: exception.Status.Detail)));
            }
        }
        return results;
    }

    private static WriteFileRequest Request(SnapshotWrite write) => new()
    {
        WorkspaceId = write.Key.WorkspaceId.ToString("D"),
        Path = write.Key.Path,
        Content = Google.Protobuf.ByteString.CopyFromUtf8(write.Text),
        ExpectedVersion = write.ExpectedVersion,
        UserId = write.OnBehalfOf.ToString("D"),
    };
}
