using System.Text;
using Grpc.Core;
using WebIde.Contracts.FileSystem.V1;

namespace WebIde.Collaboration.Documents;

/// <summary>Files as the filesystem service holds them, read and written with this service's own token.</summary>
public sealed class FileSource(Files.FilesClient files)
{
    /// <summary>
    /// File bytes sent in one <c>WriteFiles</c> call at most, unless one file alone is larger:
    /// the server holds a request to a little more than its file limit (5 MiB by default).
    /// </summary>
    public const int MaxBytesPerCall = 4 << 20;

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
    /// Writes several documents' files in as few calls as filesystem allows (none over
    /// <see cref="FilesLimits.MaxWritesPerCall"/> writes or, but for a lone large file, <see cref="MaxBytesPerCall"/>):
    /// what became of each, in order. A call that fails as a whole (filesystem unreachable) is
    /// every one of its writes' result.
    /// </summary>
    public async Task<IReadOnlyList<SnapshotWriteResult>> WriteManyAsync(IReadOnlyList<SnapshotWrite> writes, CancellationToken cancellationToken)
    {
        var results = new List<SnapshotWriteResult>(writes.Count);
        foreach (var request in Calls(writes))
        {
            try
            {
                var response = await files.WriteFilesAsync(request, cancellationToken: cancellationToken);
                results.AddRange(response.Results.Select(result => result.OutcomeCase == WriteFileResult.OutcomeOneofCase.Written
                    ? SnapshotWriteResult.Written(result.Written.Version)
                    : new SnapshotWriteResult((StatusCode)result.Error.StatusCode, Detail: result.Error.Detail)));
            }
            catch (RpcException exception)
            {
                results.AddRange(request.Files.Select(_ => new SnapshotWriteResult(exception.StatusCode, Detail: exception.Status.Detail)));
            }
        }
        return results;
    }

    private static IEnumerable<WriteFilesRequest> Calls(IReadOnlyList<SnapshotWrite> writes)
    {
        var call = new WriteFilesRequest();
        var bytes = 0L;
        foreach (var write in writes.Select(Request))
        {
            if (call.Files.Count == FilesLimits.MaxWritesPerCall || (call.Files.Count > 0 && bytes + write.Content.Length > MaxBytesPerCall))
            {
                yield return call;
                call = new WriteFilesRequest();
                bytes = 0;
            }
            call.Files.Add(write);
            bytes += write.Content.Length;
        }
        if (call.Files.Count > 0)
        {
            yield return call;
        }
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
