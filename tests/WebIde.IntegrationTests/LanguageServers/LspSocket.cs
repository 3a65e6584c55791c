using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebIde.IntegrationTests.LanguageServers;

/// <summary>
/// The browser's side of <c>/ws/lsp/{workspaceId}/{language}</c> (docs/api.md §6): one JSON-RPC message per
/// frame. A reader keeps every message: answers by id, notifications (diagnostics) and the close in order.
/// </summary>
public sealed class LspSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new ClientWebSocket().Trusting();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> _answers = new();
    private readonly List<JsonObject> _notifications = [];
    private readonly TaskCompletionSource<(WebSocketCloseStatus? Status, string? Reason)> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _reader = Task.CompletedTask;
    private int _nextId;

    public WebSocketState State => _socket.State;

    /// <summary>How the server closed the socket, once it has.</summary>
    public Task<(WebSocketCloseStatus? Status, string? Reason)> Closed => _closed.Task;

    public static Uri Address(string workspaceId, string language, string? accessToken)
    {
        var query = accessToken is null ? "" : $"?access_token={Uri.EscapeDataString(accessToken)}";
        return Platform.GatewaySocketAddress($"/ws/lsp/{workspaceId}/{language}{query}");
    }

    public static async Task<LspSocket> ConnectAsync(string workspaceId, string language, string? accessToken)
    {
        var client = new LspSocket();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client._socket.ConnectAsync(Address(workspaceId, language, accessToken), deadline.Token);
        client._reader = client.ReadAsync();
        return client;
    }

    /// <summary>Connects, initializes and opens <paramref name="documents"/> (path → text) as an editor does.</summary>
    public static async Task<LspSocket> OpenAsync(string workspaceId, string language, string accessToken, IReadOnlyDictionary<string, string> documents)
    {
        var client = await ConnectAsync(workspaceId, language, accessToken);
        var initialized = await client.RequestAsync("initialize", new JsonObject
        {
            ["processId"] = null,
            ["rootUri"] = "file:///workspace",
            ["capabilities"] = new JsonObject
            {
                ["textDocument"] = new JsonObject
                {
                    ["completion"] = new JsonObject { ["completionItem"] = new JsonObject { ["snippetSupport"] = true } },
                    ["hover"] = new JsonObject { ["contentFormat"] = new JsonArray("markdown", "plaintext") },
                    ["publishDiagnostics"] = new JsonObject(),
                },
            },
        }, TimeSpan.FromSeconds(60));
        Assert.That(initialized["result"]?["capabilities"], Is.Not.Null, initialized.ToJsonString());
        await client.NotifyAsync("initialized", new JsonObject());
        foreach (var (path, text) in documents)
        {
            await client.OpenDocumentAsync(path, language, text);
        }
        return client;
    }

    public static string DocumentUri(string path) => $"file:///workspace/{path}";

    public Task OpenDocumentAsync(string path, string language, string text) =>
        NotifyAsync("textDocument/didOpen", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = DocumentUri(path), ["languageId"] = language, ["version"] = 1, ["text"] = text },
        });

    public async Task<JsonObject> RequestAsync(string method, JsonNode parameters, TimeSpan within)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = _answers.GetOrAdd(id.ToString(System.Globalization.CultureInfo.InvariantCulture), _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        await SendTextAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters }.ToJsonString());
        try
        {
            return await answer.Task.WaitAsync(within);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"no answer to {method} within {within}; the socket is {State}");
            throw;
        }
    }

    /// <summary>
    /// Sends a frame the relay must refuse and returns its error: the answer to
    /// <paramref name="id"/> when the frame had one the relay could read, else the next error with
    /// <c>id: null</c> (docs/api.md §6, "Refusals").
    /// </summary>
    public async Task<JsonObject> RefusalAsync(string frame, int? id, TimeSpan within)
    {
        var seen = Notifications.Count;
        var answer = id is { } number ? _answers.GetOrAdd(number.ToString(System.Globalization.CultureInfo.InvariantCulture), _ => new(TaskCreationOptions.RunContinuationsAsynchronously)) : null;
        await SendTextAsync(frame);
        var until = DateTime.UtcNow + within;
        while (DateTime.UtcNow < until && !_closed.Task.IsCompleted)
        {
            if (answer is { Task.IsCompleted: true })
            {
                return await answer.Task;
            }
            if (Notifications.Skip(seen).FirstOrDefault(message => message["id"] is null && message["method"] is null && message["error"] is not null) is { } refusal)
            {
                return refusal;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"no error for {frame} within {within}; the socket is {State}");
        throw new InvalidOperationException("unreachable: Assert.Fail throws");
    }

    public Task NotifyAsync(string method, JsonNode parameters) =>
        SendTextAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters }.ToJsonString());

    public async Task SendTextAsync(string text)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, deadline.Token);
    }

    public async Task SendBytesAsync(byte[] bytes)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, deadline.Token);
    }

    /// <summary>
    /// Completion at <paramref name="line"/>:<paramref name="character"/> until its labels satisfy
    /// <paramref name="wanted"/>: a server answers with little while it is still reading the project.
    /// </summary>
    public async Task<IReadOnlyList<string>> CompleteAsync(string path, int line, int character, Func<IReadOnlyList<string>, bool> wanted, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        IReadOnlyList<string> labels = [];
        while (DateTime.UtcNow < until)
        {
            var answer = await RequestAsync("textDocument/completion", Position(path, line, character), within);
            var result = answer["result"];
            var items = result as JsonArray ?? result?["items"] as JsonArray ?? [];
            labels = [.. items.Select(item => Name((string?)item?["label"] ?? ""))];
            if (wanted(labels))
            {
                return labels;
            }
            await Task.Delay(500);
        }
        return labels;
    }

    /// <summary>
    /// The name an item completes, as a person reads it in the list: clangd's labels carry a mark for an
    /// include it would add ("•") and the template or parameter list ("vector&lt;typename Tp…&gt;").
    /// </summary>
    private static string Name(string label)
    {
        var name = label.Trim().TrimStart('•').Trim();
        var end = name.IndexOfAny(['<', '(']);
        return end > 0 ? name[..end] : name;
    }

    public static JsonObject Position(string path, int line, int character) => new()
    {
        ["textDocument"] = new JsonObject { ["uri"] = DocumentUri(path) },
        ["position"] = new JsonObject { ["line"] = line, ["character"] = character },
    };

    /// <summary>The first notification of <paramref name="method"/> that satisfies <paramref name="wanted"/>, waited for.</summary>
    public async Task<JsonObject?> NotificationAsync(string method, Func<JsonObject, bool> wanted, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (DateTime.UtcNow < until)
        {
            lock (_notifications)
            {
                if (_notifications.FirstOrDefault(message => (string?)message["method"] == method && wanted(message)) is { } found)
                {
                    return found;
                }
            }
            if (_closed.Task.IsCompleted)
            {
                return null;
            }
            await Task.Delay(100);
        }
        return null;
    }

    /// <summary>Messages that answer nothing the test asked: the relay's refusals of notifications (id null), notifications.</summary>
    public IReadOnlyList<JsonObject> Notifications
    {
        get
        {
            lock (_notifications)
            {
                return [.. _notifications];
            }
        }
    }

    public async Task<(WebSocketCloseStatus? Status, string? Reason)> WaitForCloseAsync(TimeSpan within)
    {
        try
        {
            return await _closed.Task.WaitAsync(within);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the server did not close the socket within {within}");
            throw;
        }
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult((received.CloseStatus, received.CloseStatusDescription));
                    return;
                }
                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage)
                {
                    continue;
                }
                var parsed = JsonNode.Parse(message.ToArray())!.AsObject();
                message.SetLength(0);
                if (parsed["method"] is null && parsed["id"] is JsonValue id && id.GetValueKind() != JsonValueKind.Null)
                {
                    _answers.GetOrAdd(id.ToString(), _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(parsed);
                }
                else
                {
                    lock (_notifications)
                    {
                        _notifications.Add(parsed);
                    }
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException)
        {
            _closed.TrySetResult((null, exception.Message));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token);
                await _closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or TimeoutException)
            {
                // The test is over; a server that does not answer the close is not its concern.
            }
        }
        _socket.Dispose();
        await _reader.ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
