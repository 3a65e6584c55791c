using System.Buffers;
using System.Net.WebSockets;
using WebIde.Collaboration.Documents;
using WebIde.ServiceDefaults.Authorization;
using WebIde.ServiceDefaults.RateLimiting;

namespace WebIde.Collaboration.Sockets;

/// <summary>
/// Serves one editor's WebSocket: reads its messages one at a time (so its operations keep
/// their order), answers refused ones with an error frame, and sends what its documents queue.
/// </summary>
/// <param name="writes">
/// The stream under <paramref name="socket"/>, when it can hold writes back so that what has
/// queued goes out in one write; without it every frame is written and flushed alone.
/// </param>
public sealed class CollabSocket(
    WebSocket socket,
    WriteCoalescingStream? writes,
    CollabConnection connection,
    UserAllowances.Allowance allowance,
    DocumentHub hub,
    IWorkspaceRoles roles,
    CollaborationOptions options,
    TimeProvider time)
{
    /// <summary>How long a client closed by the server gets to answer the close before its socket is dropped.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    private const int InitialBufferBytes = 4096;

    /// <summary>
    /// Most bytes held back for one write: enough to carry a burst of operations in one go,
    /// little enough not to copy a backlog of megabytes a second time. A larger frame ends its batch.
    /// </summary>
    private const int MaxBatchBytes = 64 * 1024;

    public async Task ServeAsync(CancellationToken requestAborted)
    {
        // Cancelling a receive would abort the socket without a close frame, so a closing
        // connection sends its close frame first and the receive ends when the client answers.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        using var _ = connection.Closing.Register(() => stop.CancelAfter(CloseGrace));
        var sending = SendAsync();
        try
        {
            await ReceiveAsync(stop.Token);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // The browser went away or did not answer our close; its documents are left below.
        }
        finally
        {
            foreach (var document in connection.Documents.Values)
            {
                document.Leave(connection);
            }
            connection.Documents.Clear();
            connection.Close((int)WebSocketCloseStatus.NormalClosure, "");
            await sending;
        }
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var bucket = new TokenBucket(options.MessagesPerSecond, options.MessageBurst, time);
        // Messages are keystrokes, a few dozen bytes: the buffer starts small and grows (pooled)
        // only for a large message, up to the limit. A buffer of the limit per connection was
        // 1 MiB each on the large-object heap, whose collections paused every document.
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var length = 0;
                var tooLarge = false;
                ValueWebSocketReceiveResult received;
                do
                {
                    var usable = Math.Min(buffer.Length, options.MaxMessageBytes);
                    if (length == usable)
                    {
                        if (usable < options.MaxMessageBytes)
                        {
                            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(usable * 4, options.MaxMessageBytes));
                            buffer.AsSpan(0, length).CopyTo(larger);
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = larger;
                            usable = Math.Min(buffer.Length, options.MaxMessageBytes);
                        }
                        else
                        {
                            // The rest of an oversized message is read and thrown away; the socket stays usable.
                            tooLarge = true;
                            length = 0;
                        }
                    }
                    received = await socket.ReceiveAsync(buffer.AsMemory(length, usable - length), cancellationToken);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }
                    length += received.Count;
                }
                while (!received.EndOfMessage);

                // Neither of these two is read (that is the point of refusing them), so they carry no id or path.
                if (tooLarge)
                {
                    connection.Send(ServerFrames.Error(ErrorCodes.TooLarge, $"messages are at most {options.MaxMessageBytes} bytes"));
                    continue;
                }
                if (!bucket.TryTake())
                {
                    connection.Send(ServerFrames.Error(ErrorCodes.RateLimited, $"at most {options.MessagesPerSecond} messages a second (bursts of {options.MessageBurst}); this one was dropped"));
                    continue;
                }
                if (!allowance.TrySpend(length))
                {
                    connection.Send(ServerFrames.Error(ErrorCodes.RateLimited, $"at most {options.UserBytesPerSecond:0} bytes a second per user over all their sockets (bursts of {options.UserByteBurst:0}); this message was dropped"));
                    continue;
                }
                await HandleAsync(buffer.AsMemory(0, length));
                if (buffer.Length > InitialBufferBytes)
                {
                    // Back to a small one after a large message.
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task HandleAsync(ReadOnlyMemory<byte> frame)
    {
        string? id = null, path = null;
        try
        {
            var message = ClientMessageReader.Read(frame.Span);
            (id, path) = (message.Id, message.Path);
            switch (message.Type)
            {
                case "join":
                    await JoinAsync(message);
                    break;
                case "op":
                    (await JoinedAsync(message)).Submit(connection, message);
                    break;
                case "selection":
                    (await JoinedAsync(message)).Select(connection, message.Selections!);
                    break;
                case "leave":
                    if (connection.Documents.TryRemove(message.Path, out var left))
                    {
                        left.Leave(connection);
                    }
                    break;
            }
        }
        catch (ProtocolException refused)
        {
            // A message that could not be read still has its id and path as far as the reader found them.
            connection.Send(ServerFrames.Error(refused.Code, refused.Message, refused.OperationId ?? id, refused.Path ?? path));
        }
    }

    private async Task JoinAsync(ClientMessage message)
    {
        var role = await roles.GetRoleAsync(connection.WorkspaceId, connection.UserId, connection.Closing);
        if (role == WorkspaceRole.None)
        {
            throw new ProtocolException(ErrorCodes.NotFound, "no such workspace");
        }
        if (connection.Documents.TryRemove(message.Path, out var previous))
        {
            // Joining again (a client that lost track) starts over from what it asks for.
            previous.Leave(connection);
        }
        var key = new DocumentKey(connection.WorkspaceId, message.Path);
        using var activity = CollaborationMetrics.Activities.StartActivity("collab join");
        activity?.SetTag("webide.workspace", key.WorkspaceId).SetTag("webide.path", key.Path).SetTag("webide.resume", message.Revision is not null);
        while (true)
        {
            var document = await hub.OpenAsync(key);
            if (document.Join(connection, message.Revision, readOnly: role < WorkspaceRole.Editor))
            {
                connection.Documents[message.Path] = document;
                return;
            }
        }
    }

    private async Task<OpenDocument> JoinedAsync(ClientMessage message)
    {
        if (!connection.Documents.TryGetValue(message.Path, out var document))
        {
            throw new ProtocolException(ErrorCodes.NotFound, $"{message.Path} is not joined on this connection; join it first", message.Id);
        }
        if (message.Type == "op")
        {
            var role = await roles.GetRoleAsync(connection.WorkspaceId, connection.UserId, connection.Closing);
            if (role < WorkspaceRole.Editor)
            {
                throw new ProtocolException(role == WorkspaceRole.None ? ErrorCodes.NotFound : ErrorCodes.Forbidden, "editing needs the editor role", message.Id);
            }
        }
        return document;
    }

    private async Task SendAsync()
    {
        try
        {
            var outbox = connection.Outbox;
            while (await outbox.WaitToReadAsync())
            {
                var batched = 0;
                while (outbox.TryRead(out var frame))
                {
                    // Held back only while the next frame is already queued, so a burst's last frame
                    // (read when nothing follows) always goes out, and takes what was held with it.
                    batched += frame.Length;
                    var more = batched < MaxBatchBytes && outbox.TryPeek(out _);
                    if (writes is not null)
                    {
                        writes.HoldWrites = more;
                    }
                    await socket.SendAsync(frame, WebSocketMessageType.Text, WebSocketMessageFlags.EndOfMessage | WebSocketMessageFlags.DisableCompression, CancellationToken.None);
                    connection.Sent(frame);
                    batched = more ? batched : 0;
                }
            }
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                var (code, reason) = connection.CloseReason ?? ((int)WebSocketCloseStatus.NormalClosure, "");
                using var deadline = new CancellationTokenSource(CloseGrace);
                await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, deadline.Token);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            connection.Close((int)WebSocketCloseStatus.EndpointUnavailable, "the socket failed");
        }
    }
}
