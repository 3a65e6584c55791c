using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;

namespace WebIde.Bench;

/// <summary>
/// The browser's side of <c>/ws/lsp/{workspaceId}/{language}</c> (docs/api.md §6): one JSON-RPC 2.0
/// message per text frame, requests matched to their answers by id. Server-to-client requests are the
/// relay's to answer; one that reaches this client is printed and left alone. An error with
/// <c>id: null</c> (the relay's own) is printed. A close from the server fails every request waiting.
/// </summary>
public sealed class LspSession : IAsyncDisposable
{
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentDictionary<string, bool> _serverRequests = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly List<string> _relayErrors = [];
    private Task _receiving = Task.CompletedTask;
    private int _nextId;
    private int _diagnostics;
    private volatile string? _closed;

    private LspSession()
    {
    }

    /// <summary>Why the socket is no longer usable (the server's close code and reason), or null while it is open.</summary>
    public string? Closed => _closed;

    /// <summary>How many <c>textDocument/publishDiagnostics</c> notifications arrived.</summary>
    public int Diagnostics => Volatile.Read(ref _diagnostics);

    /// <summary>The relay's JSON-RPC errors that answered no request (<c>id: null</c>), as received.</summary>
    public IReadOnlyList<string> RelayErrors
    {
        get
        {
            lock (_relayErrors)
            {
                return [.. _relayErrors];
            }
        }
    }

    /// <summary>Opens the socket; an upgrade the gateway refuses is an <see cref="LspFailure"/> with its HTTP status.</summary>
    public static async Task<LspSession> ConnectAsync(Uri gateway, string workspace, string language, string token, TimeSpan timeout)
    {
        var scheme = gateway.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
        var address = new Uri($"{scheme}://{gateway.Authority}/ws/lsp/{workspace}/{language}?access_token={Uri.EscapeDataString(token)}");
        var session = new LspSession();
        session._socket.Options.CollectHttpResponseDetails = true;
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await session._socket.ConnectAsync(address, deadline.Token);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            var status = session._socket.HttpStatusCode;
            session._socket.Dispose();
            throw new LspFailure(status == 0
                ? $"the socket did not open: {exception.Message}"
                : $"the socket did not open: HTTP {(int)status} {status}");
        }
        session._receiving = Task.Run(session.ReceiveAsync);
        return session;
    }

    public Task NotifyAsync(string method, object? parameters) => SendAsync(Message(null, method, parameters));

    /// <summary>The request's result; an error answer, a close or no answer within <paramref name="timeout"/> is an <see cref="LspFailure"/>.</summary>
    public async Task<JsonElement> RequestAsync(string method, object? parameters, TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        if (_closed is { } closed)
        {
            _pending.TryRemove(id, out _);
            throw new LspFailure(closed);
        }
        try
        {
            await SendAsync(Message(id, method, parameters));
            return await answer.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            await NotifyAsync("$/cancelRequest", new { id });
            throw new LspFailure(string.Create(CultureInfo.InvariantCulture, $"no answer to {method} within {timeout.TotalSeconds:F1} s"));
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>LSP's orderly end (<c>shutdown</c>, then <c>exit</c>); a server that does not answer in time is not waited for.</summary>
    public async Task ShutdownAsync()
    {
        try
        {
            await RequestAsync("shutdown", null, TimeSpan.FromSeconds(5));
            await NotifyAsync("exit", null);
        }
        catch (LspFailure)
        {
            // Closing the socket ends the server all the same.
        }
    }

    private static Dictionary<string, object?> Message(int? id, string method, object? parameters)
    {
        var message = new Dictionary<string, object?> { ["jsonrpc"] = "2.0" };
        if (id is { } number)
        {
            message["id"] = number;
        }
        message["method"] = method;
        if (parameters is not null)
        {
            message["params"] = parameters;
        }
        return message;
    }

    private async Task SendAsync(Dictionary<string, object?> message)
    {
        if (_closed is { } closed)
        {
            throw new LspFailure(closed);
        }
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message);
        await _sending.WaitAsync();
        try
        {
            using var deadline = new CancellationTokenSource(SendTimeout);
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, deadline.Token);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            throw new LspFailure(_closed ?? $"sending {message["method"]} failed: {exception.Message}");
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    var code = (int?)received.CloseStatus;
                    Close(code is null
                        ? "the server closed the socket without a code"
                        : $"the server closed the socket: {code} {received.CloseStatusDescription} ({CloseCodeMeaning(code.Value)})");
                    await AcknowledgeCloseAsync();
                    return;
                }
                message.Write(buffer, 0, received.Count);
                if (received.EndOfMessage)
                {
                    Dispatch(message.ToArray());
                    message.SetLength(0);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            Close($"the socket broke: {exception.Message}");
        }
    }

    private void Dispatch(byte[] frame)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(frame);
            root = document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            Console.WriteLine($"    a frame that is not JSON ({frame.Length} bytes): {exception.Message}");
            return;
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            Console.WriteLine($"    a frame that is not one JSON-RPC message: {Shorten(root.GetRawText())}");
            return;
        }

        var hasId = root.TryGetProperty("id", out var id);
        if (root.TryGetProperty("method", out var method))
        {
            var name = method.GetString() ?? "";
            if (hasId)
            {
                // A server-to-client request: the relay answers those, so one here is worth a line, once per method.
                if (_serverRequests.TryAdd(name, true))
                {
                    Console.WriteLine($"    the server's request {name} reached the client (the relay is to answer these); not answered");
                }
            }
            else if (name == "textDocument/publishDiagnostics")
            {
                Interlocked.Increment(ref _diagnostics);
            }
            return;
        }

        if (hasId && id.ValueKind == JsonValueKind.Number && id.TryGetInt32(out var number) && _pending.TryRemove(number, out var answer))
        {
            if (root.TryGetProperty("error", out var error))
            {
                answer.TrySetException(new LspFailure($"error answer {Shorten(error.GetRawText())}"));
            }
            else
            {
                answer.TrySetResult(root.TryGetProperty("result", out var result) ? result : default);
            }
        }
        else if (root.TryGetProperty("error", out var error))
        {
            var text = $"{(hasId ? $"id {id.GetRawText()}" : "no id")}: {Shorten(error.GetRawText())}";
            lock (_relayErrors)
            {
                _relayErrors.Add(text);
            }
            Console.WriteLine($"    JSON-RPC error for no request ({text})");
        }
    }

    private void Close(string why)
    {
        _closed ??= why;
        foreach (var waiting in _pending.Values)
        {
            waiting.TrySetException(new LspFailure(why));
        }
    }

    private async Task AcknowledgeCloseAsync()
    {
        await _sending.WaitAsync();
        try
        {
            using var deadline = new CancellationTokenSource(SendTimeout);
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The server is gone already: nothing to acknowledge.
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>docs/api.md §6's close codes.</summary>
    private static string CloseCodeMeaning(int code) => code switch
    {
        1000 => "normal closure",
        4001 => "bad token or session ended",
        4003 => "not a member of the workspace",
        4004 => "unknown workspace, or a language without a server",
        4008 => "too many language servers for this user",
        _ => "not one of §6's codes",
    };

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            _closed ??= "closed by the client";
            await _sending.WaitAsync();
            try
            {
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The measurement is over; a server that does not answer the close is not its concern.
            }
            finally
            {
                _sending.Release();
            }
        }
        _socket.Abort();
        await _receiving;
        _socket.Dispose();
        _sending.Dispose();
    }
}
