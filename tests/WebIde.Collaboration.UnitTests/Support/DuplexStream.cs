using System.IO.Pipelines;

namespace WebIde.Collaboration.UnitTests.Support;

/// <summary>One end of an in-memory connection: reads what the other end wrote, and the other way round.</summary>
public sealed class DuplexStream(Stream incoming, Stream outgoing) : Stream
{
    /// <summary>Two ends joined to each other, as a TCP connection's would be.</summary>
    public static (DuplexStream Server, DuplexStream Client) Pair()
    {
        Pipe toClient = new(), toServer = new();
        return (new DuplexStream(toServer.Reader.AsStream(), toClient.Writer.AsStream()),
                new DuplexStream(toClient.Reader.AsStream(), toServer.Writer.AsStream()));
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => incoming.ReadAsync(buffer, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => incoming.Read(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => outgoing.WriteAsync(buffer, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => outgoing.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => outgoing.FlushAsync(cancellationToken);

    public override void Flush() => outgoing.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // The other end reads the end of the stream, as after a TCP FIN.
            outgoing.Dispose();
            incoming.Dispose();
        }
        base.Dispose(disposing);
    }
}
