using System.IO.Pipelines;

namespace WebIde.Collaboration.UnitTests.Support;

/// <summary>
/// A Kestrel connection's transport with its flushes counted: each flush hands what was written
/// to the socket, so it is what a write costs the server below HTTP.
/// </summary>
public sealed class FlushCountingPipe(IDuplexPipe transport, Action flushed) : IDuplexPipe
{
    public PipeReader Input => transport.Input;

    public PipeWriter Output { get; } = new CountingWriter(transport.Output, flushed);

    private sealed class CountingWriter(PipeWriter inner, Action flushed) : PipeWriter
    {
        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            flushed();
            return inner.FlushAsync(cancellationToken);
        }

        public override void Advance(int bytes) => inner.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;
    }
}
