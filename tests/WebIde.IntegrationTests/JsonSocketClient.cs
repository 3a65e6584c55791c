using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace WebIde.IntegrationTests;

/// <summary>The browser's side of a WebSocket of the gateway (<c>/ws/exec/…</c>, <c>/ws/collab/…</c>): JSON messages both ways.</summary>
public sealed class JsonSocketClient : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ClientWebSocket _socket = new ClientWebSocket().Trusting();

    private JsonSocketClient()
    {
    }

    public WebSocketState State => _socket.State;

    public static Task<JsonSocketClient> ConnectAsync(string workspaceId, string accessToken, string socket = "exec") =>
        ConnectAsync($"/ws/{socket}/{workspaceId}?access_token={Uri.EscapeDataString(accessToken)}");

    /// <summary>The socket at <paramref name="pathAndQuery"/>, its credentials in the query as the test wrote them (a ticket, say).</summary>
    public static async Task<JsonSocketClient> ConnectAsync(string pathAndQuery)
    {
        var client = new JsonSocketClient();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client._socket.ConnectAsync(Platform.GatewaySocketAddress(pathAndQuery), deadline.Token);
        return client;
    }

    public async Task SendAsync(object message)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message, Json), WebSocketMessageType.Text, endOfMessage: true, deadline.Token);
    }

    public async Task SendTextAsync(string text)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, deadline.Token);
    }

    /// <summary>The next message from the server; fails the test when none comes in time or the socket closes.</summary>
    public async Task<JsonElement> ReceiveAsync(TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            WebSocketReceiveResult received;
            try
            {
                received = await _socket.ReceiveAsync(buffer, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"no message from the server within {within}");
                throw;
            }
            if (received.MessageType == WebSocketMessageType.Close)
            {
                Assert.Fail($"the server closed the socket: {received.CloseStatus} {received.CloseStatusDescription}");
            }
            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage)
            {
                return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
            }
        }
    }

    /// <summary>Messages until one of <paramref name="type"/>, that one included.</summary>
    public async Task<IReadOnlyList<JsonElement>> ReceiveUntilAsync(string type, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        var messages = new List<JsonElement>();
        while (true)
        {
            var left = until - DateTime.UtcNow;
            var message = await ReceiveAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            messages.Add(message);
            if (TypeOf(message) == type)
            {
                return messages;
            }
        }
    }

    /// <summary>Reads until the server closes the socket; its close status and reason. Fails when it stays open.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Reason)> WaitForCloseAsync(TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveAsync(buffer, deadline.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return (received.CloseStatus, received.CloseStatusDescription);
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the server did not close the socket within {within}");
            throw;
        }
    }

    public static string TypeOf(JsonElement message) => message.GetProperty("type").GetString()!;

    /// <summary>The text of every message of <paramref name="type"/> (stdout or stderr), in order.</summary>
    public static string Text(IEnumerable<JsonElement> messages, string type) =>
        string.Concat(messages.Where(message => TypeOf(message) == type).Select(message => message.GetProperty("data").GetString()));

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
                // The test is over; a server that does not answer the close is not its concern.
            }
        }
        _socket.Dispose();
    }
}
