using System.Collections.Concurrent;
using System.Threading.Channels;
using WebIde.Collaboration.Documents;

namespace WebIde.Collaboration.Sockets;

/// <summary>
/// One editor's WebSocket: who it is, the documents it has joined, and the frames waiting to
/// go out in order. Frames are queued, never sent inline, so a slow browser holds up nobody;
/// one that falls too far behind is disconnected (it resumes from its revision).
/// </summary>
/// <param name="maxQueuedBytes">
/// How many bytes may wait behind the frame the client is receiving. That frame itself is not
/// counted: a fresh <c>joined</c> carries the whole document (2 Mi UTF-16 code units can be
/// several MiB of JSON), and neither it nor the operations that follow it while it is on its way
/// should be refused for its size. What waits behind it is what tells a client that cannot keep up.
/// </param>
public sealed class CollabConnection(Guid workspaceId, Guid userId, string username, string? sessionId, int maxQueuedBytes)
{
    /// <summary>Close codes in the application range, so a client can tell why it was let go.</summary>
    public const int SessionEnded = 4001;
    public const int AccessRevoked = 4003;
    public const int WorkspaceGone = 4004;
    public const int TooSlow = 4008;
    public const int TooManySockets = 4029;

    /// <summary>RFC 6455's "Try Again Later": the store is full (Redis at its maxmemory), so back off before resuming.</summary>
    public const int TryAgainLater = 1013;

    private readonly Channel<byte[]> _outbox = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _closing = new();

    // Queueing, sending and the count of what is unsent change together under this lock.
    private readonly Lock _queueing = new();
    private long _unsentBytes;
    private int _oldestUnsentBytes;

    public string ClientId { get; } = Guid.NewGuid().ToString("N")[..16];

    public Guid WorkspaceId => workspaceId;

    public Guid UserId => userId;

    public string Username => username;

    public string? SessionId => sessionId;

    public ConcurrentDictionary<string, OpenDocument> Documents { get; } = new(StringComparer.Ordinal);

    /// <summary>The frames to send, in order; read by one sender, which reports each with <see cref="Sent"/>.</summary>
    public ChannelReader<byte[]> Outbox => _outbox.Reader;

    public CancellationToken Closing => _closing.Token;

    public (int Code, string Reason)? CloseReason { get; private set; }

    /// <summary>Bytes queued and not yet sent, the frame being sent included.</summary>
    public long UnsentBytes
    {
        get
        {
            lock (_queueing)
            {
                return _unsentBytes;
            }
        }
    }

    /// <summary>
    /// Queues a frame. The same array may be queued to many connections (one encoding for all
    /// members of a document), so it is never changed once queued.
    /// </summary>
    public void Send(byte[] frame)
    {
        lock (_queueing)
        {
            var behind = _unsentBytes == 0 ? 0 : _unsentBytes - _oldestUnsentBytes + frame.Length;
            if (behind <= maxQueuedBytes)
            {
                if (_outbox.Writer.TryWrite(frame))
                {
                    _oldestUnsentBytes = _unsentBytes == 0 ? frame.Length : _oldestUnsentBytes;
                    _unsentBytes += frame.Length;
                }
                return;
            }
        }
        Close(TooSlow, "too far behind; reconnect and resume");
    }

    /// <summary>Called by the sender once a frame it took off the queue is written: its bytes no longer count.</summary>
    public void Sent(byte[] frame)
    {
        lock (_queueing)
        {
            _unsentBytes -= frame.Length;
            // The next frame in the queue is now the oldest unsent one: the client's next to receive.
            _oldestUnsentBytes = _outbox.Reader.TryPeek(out var next) ? next.Length : 0;
        }
    }

    public void Close(int code, string reason)
    {
        lock (_queueing)
        {
            CloseReason ??= (code, reason);
        }
        _outbox.Writer.TryComplete();
        _closing.Cancel();
    }
}
