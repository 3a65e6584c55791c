using System.Net.WebSockets;

namespace WebIde.Collaboration.Sockets;

/// <summary>
/// <c>/ws/echo</c>: every text frame straight back. The benchmark's floor: the same gateway hop
/// and token check as an editor's socket, with no document behind it.
/// </summary>
public static class EchoSocket
{
    public static async Task<IResult> AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: "Connect with a WebSocket upgrade.");
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = CollabSocketApi.KeepAlive });
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    break;
                }
                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // The client went away.
        }
        return Results.Empty;
    }
}
