using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Sockets;

namespace WebIde.Collaboration.UnitTests.Support;

/// <summary>
/// An editor's socket served by <see cref="CollabSocket"/> over an in-memory connection, .NET's own
/// WebSocket at both ends, with the client's end to drive it and a count of the server's writes.
/// No document is ever joined, so the document hub is never reached.
/// </summary>
public sealed class ServedSocket : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private ServedSocket(CollabConnection connection, WebSocket client, WriteCountingStream wire, Task serving)
    {
        Connection = connection;
        Client = client;
        Wire = wire;
        Serving = serving;
    }

    public CollabConnection Connection { get; }

    public WebSocket Client { get; }

    /// <summary>The server's end of the connection, under its WebSocket: what the transport is asked to do.</summary>
    public WriteCountingStream Wire { get; }

    public Task Serving { get; }

    /// <param name="queue">Frames to queue before the socket is served, so that all of them wait when its sender starts.</param>
    public static ServedSocket Start(Action<CollabConnection>? queue = null, int maxQueuedBytes = 4 << 20, bool coalesce = true, TimeSpan? keepAlive = null)
    {
        var (serverEnd, clientEnd) = DuplexStream.Pair();
        var wire = new WriteCountingStream(serverEnd);
        var writes = coalesce ? new WriteCoalescingStream(wire) : null;
        var server = WebSocket.CreateFromStream(writes ?? (Stream)wire, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = keepAlive ?? Timeout.InfiniteTimeSpan });
        var client = WebSocket.CreateFromStream(clientEnd, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = Timeout.InfiniteTimeSpan });

        var connection = new CollabConnection(Guid.NewGuid(), Guid.NewGuid(), "ana", null, maxQueuedBytes);
        queue?.Invoke(connection);
        var socket = new CollabSocket(server, writes, connection, AnyAllowance.Of(), hub: null!, new EveryoneEdits(), new CollaborationOptions(), TimeProvider.System);
        return new ServedSocket(connection, client, wire, socket.ServeAsync(CancellationToken.None));
    }

    public Task SendAsync(string json) =>
        Client.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>The next whole message, or null when the server closed.</summary>
    public async Task<byte[]?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var message = new ArrayBufferWriter<byte>();
        ValueWebSocketReceiveResult received;
        do
        {
            received = await Client.ReceiveAsync(message.GetMemory(16 * 1024), timeout.Token);
            message.Advance(received.Count);
        }
        while (!received.EndOfMessage);
        return received.MessageType == WebSocketMessageType.Close ? null : message.WrittenSpan.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        if (Client.State == WebSocketState.Open)
        {
            await Client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        else if (Client.State == WebSocketState.CloseReceived)
        {
            await Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        await Serving.WaitAsync(Patience);
        Client.Dispose();
    }
}
