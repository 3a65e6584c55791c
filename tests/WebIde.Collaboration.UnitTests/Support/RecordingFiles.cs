using Grpc.Core;
using WebIde.Contracts.FileSystem.V1;

namespace WebIde.Collaboration.UnitTests.Support;

/// <summary>
/// A filesystem client that records each WriteFiles call and answers each item with what
/// <see cref="Answer"/> says (written at the next version unless told otherwise); any other call fails.
/// </summary>
public sealed class RecordingFiles : Files.FilesClient
{
    public List<WriteFilesRequest> Calls { get; } = [];

    /// <summary>The answer for a path; by default written at the expected version + 1.</summary>
    public Func<WriteFileRequest, WriteFileResult> Answer { get; set; } = Written;

    public static WriteFileResult Written(WriteFileRequest request) =>
        new() { Written = new WriteFileResponse { Path = request.Path, Version = request.ExpectedVersion + 1 } };

    public static WriteFileResult Refused(StatusCode status) =>
        new() { Error = new WriteFileError { StatusCode = (int)status, Detail = status.ToString() } };

    public override AsyncUnaryCall<WriteFilesResponse> WriteFilesAsync(WriteFilesRequest request, CallOptions options)
    {
        lock (Calls)
        {
            Calls.Add(request);
        }
        var response = new WriteFilesResponse();
        response.Results.Add(request.Files.Select(file => Answer(file)));
        return new AsyncUnaryCall<WriteFilesResponse>(Task.FromResult(response), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    public override AsyncUnaryCall<WriteFilesResponse> WriteFilesAsync(WriteFilesRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default) =>
        WriteFilesAsync(request, new CallOptions(headers, deadline, cancellationToken));
}
