using System.Buffers;

namespace WebIde.Collaboration.Sockets;

/// <summary>
/// The upgraded connection under an editor's WebSocket, holding writes back while more frames are
/// on their way so that a burst goes out in one write. .NET's WebSocket writes and flushes every
/// frame on its own, and Kestrel's upgraded stream flushes on every write as well, so without it
/// each queued frame costs the transport a write and a flush of its own.
/// </summary>
/// <remarks>
/// The WebSocket writes one whole frame per write and never two at once (it sends under a lock),
/// so this holds no lock of its own. Its keep-alive and close frames go through here too: written
/// while frames are held, they join the batch and leave with its last frame, which the sender
/// always writes with <see cref="HoldWrites"/> off.
/// </remarks>
public sealed class WriteCoalescingStream(Stream upgraded) : Stream
{
    /// <summary>What is always worth a copy to save a write; also the least a batch's buffer holds.</summary>
    private const int SmallWriteBytes = 16 * 1024;

    private volatile bool _holdWrites;
    private byte[]? _held;
    private int _heldLength;

    /// <summary>Set by the sender before each frame: on while the frames after it are already waiting.</summary>
    public bool HoldWrites
    {
        get => _holdWrites;
        set => _holdWrites = value;
    }

    public override bool CanRead => upgraded.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => upgraded.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        upgraded.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        upgraded.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => upgraded.Read(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_holdWrites)
        {
            Hold(buffer.Span);
            return ValueTask.CompletedTask;
        }
        if (_heldLength == 0)
        {
            return upgraded.WriteAsync(buffer, cancellationToken);
        }
        if (buffer.Length < SmallWriteBytes || buffer.Length <= _held!.Length - _heldLength)
        {
            Hold(buffer.Span);
            return WriteHeldAsync(after: default, cancellationToken);
        }
        // A large last frame (a whole document) is not copied behind the held ones: it follows them.
        return WriteHeldAsync(after: buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>While frames are held, the WebSocket's flush after each of them is left to the batch's last write.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _heldLength > 0 ? Task.CompletedTask : upgraded.FlushAsync(cancellationToken);

    public override void Flush()
    {
        if (_heldLength == 0)
        {
            upgraded.Flush();
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    // A batch cut short by an aborted socket leaves its buffer to the garbage collector rather
    // than race a write still holding it back into the pool.
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            upgraded.Dispose();
        }
        base.Dispose(disposing);
    }

    private void Hold(ReadOnlySpan<byte> frame)
    {
        var held = _heldLength;
        if (_held is null || _held.Length < held + frame.Length)
        {
            // Pooled, and only for a batch's life: an idle connection keeps no buffer.
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(2 * (held + frame.Length), SmallWriteBytes));
            _held?.AsSpan(0, held).CopyTo(larger);
            Release();
            _held = larger;
        }
        frame.CopyTo(_held.AsSpan(held));
        _heldLength = held + frame.Length;
    }

    private async ValueTask WriteHeldAsync(ReadOnlyMemory<byte> after, CancellationToken cancellationToken)
    {
        try
        {
            await upgraded.WriteAsync(_held.AsMemory(0, _heldLength), cancellationToken);
        }
        finally
        {
            Release();
        }
        if (!after.IsEmpty)
        {
            await upgraded.WriteAsync(after, cancellationToken);
        }
    }

    private void Release()
    {
        if (_held is { } held)
        {
            _held = null;
            _heldLength = 0;
            ArrayPool<byte>.Shared.Return(held);
        }
    }
}
