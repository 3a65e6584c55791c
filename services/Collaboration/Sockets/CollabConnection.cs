using System.Collections.Concurrent;
using System.Threading.Channels;
using WebIde.Collaboration.Documents;

namespace WebIde.Collaboration.Sockets;

/// <summary>
/// One editor's WebSocket: who it is, the documents it has joined, and the frames waiting to
/// go out in order. Frames are queued, never sent inline, so a slow browser holds up nobody;
/// one that falls too far behind is disconnected (it resumes from its revision).
/// </summary>
public sealed class CollabConnection(Guid workspaceId, Guid userId, string username, string? sessionId, int maxQueuedFrames)
{
    /// <summary>Close codes in the application range, so a client can tell why it was let go.</summary>
    public const int SessionEnded = 4001;
    public const int AccessRevoked = 4003;
    public const int WorkspaceGone = 4004;
    public const int TooSlow = 4008;

    private readonly Channel<byte[]> _outbox = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _closing = new();
    private int _queued;

    public string ClientId { get; } = Guid.NewGuid().ToString("N")[..16];

    public Guid WorkspaceId => workspaceId;

    public Guid UserId => userId;

    public string Username => username;

    public string? SessionId => sessionId;

    public ConcurrentDictionary<string, OpenDocument> Documents { get; } = new(StringComparer.Ordinal);

    public ChannelReader<byte[]> Outbox => _outbox.Reader;

    public CancellationToken Closing => _closing.Token;

    public (int Code, string Reason)? CloseReason { get; private set; }

    public void Send(byte[] frame)
    {
        if (Interlocked.Increment(ref _queued) > maxQueuedFrames)
        {
            Close(TooSlow, "too far behind; reconnect and resume");
            return;
        }
        _outbox.Writer.TryWrite(frame);
    }

    /// <summary>Called by the sender for every frame it took off the queue.</summary>
    public void Dequeued() => Interlocked.Decrement(ref _queued);

    public void Close(int code, string reason)
    {
        lock (_outbox)
        {
            CloseReason ??= (code, reason);
        }
        _outbox.Writer.TryComplete();
        _closing.Cancel();
    }
}
