using Google.Protobuf;
using Grpc.Core;
using WebIde.Contracts.FileSystem.V1;
using WebIde.Execution.Runs;

namespace WebIde.Execution.UnitTests.Runs;

/// <summary>
/// The filesystem service's <c>ReadWorkspace</c> as a test sets it: the project's files, one chunk
/// each; or a failure on the first read; or a stream that waits until the call is cancelled. It
/// counts the reads, which is what admission is judged by.
/// </summary>
public sealed class FakeWorkspaceFiles : Files.FilesClient
{
    private readonly TaskCompletionSource _readStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _reads;

    public IReadOnlyList<SourceFile> Project { get; set; } = [];

    public Exception? Failure { get; set; }

    /// <summary>The stream sends nothing until the call is cancelled.</summary>
    public bool Hangs { get; set; }

    public int Reads => Volatile.Read(ref _reads);

    /// <summary>Done once a read has begun.</summary>
    public Task ReadStarted => _readStarted.Task;

    public override AsyncServerStreamingCall<WorkspaceFileChunk> ReadWorkspace(ReadWorkspaceRequest request, CallOptions options)
    {
        Interlocked.Increment(ref _reads);
        var chunks = Project.Select(file => new WorkspaceFileChunk
        {
            Path = file.Path,
            Size = file.Content.Length,
            Offset = 0,
            Data = ByteString.CopyFrom(file.Content.Span),
            Last = true,
        }).ToList();
        return new AsyncServerStreamingCall<WorkspaceFileChunk>(new Chunks(this, chunks), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => new Metadata(), () => { });
    }

    private sealed class Chunks(FakeWorkspaceFiles files, List<WorkspaceFileChunk> chunks) : IAsyncStreamReader<WorkspaceFileChunk>
    {
        private int _next;

        public WorkspaceFileChunk Current { get; private set; } = null!;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            files._readStarted.TrySetResult();
            if (files.Failure is { } failure)
            {
                throw failure;
            }
            if (files.Hangs)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            if (_next == chunks.Count)
            {
                return false;
            }
            Current = chunks[_next++];
            return true;
        }
    }
}
