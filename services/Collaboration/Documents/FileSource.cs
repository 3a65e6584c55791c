using System.Text;
using Grpc.Core;
using WebIde.Contracts.FileSystem.V1;

namespace WebIde.Collaboration.Documents;

/// <summary>Files as the filesystem service holds them, read and written with this service's own token.</summary>
public sealed class FileSource(Files.FilesClient files)
{
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
            var written = await files.WriteFileAsync(new WriteFileRequest
            {
                WorkspaceId = key.WorkspaceId.ToString("D"),
                Path = key.Path,
                Content = Google.Protobuf.ByteString.CopyFromUtf8(text),
                ExpectedVersion = expectedVersion,
                UserId = onBehalfOf.ToString("D"),
            }, cancellationToken: cancellationToken);
            return written.Version;
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.FailedPrecondition)
        {
            return null;
        }
    }
}
