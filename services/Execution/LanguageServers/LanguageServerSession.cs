using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using WebIde.Execution.Languages;
using WebIde.Execution.Runs;
using WebIde.Execution.Sandbox;
using WebIde.ServiceDefaults.RateLimiting;

namespace WebIde.Execution.LanguageServers;

/// <summary>
/// One <c>/ws/lsp</c> socket and the language server behind it (docs/api.md §6): each client frame is one
/// JSON-RPC message, passed through <see cref="ClientMessageGate"/> to the server's stdin with LSP's
/// headers; each message on the server's stdout passes <see cref="ServerMessageFilter"/> to the client.
/// The server goes when the socket does.
/// </summary>
public sealed class LanguageServerSession(
    WebSocket socket,
    LanguageServerSandbox sandbox,
    LanguageServerKey key,
    LanguageServer server,
    LanguageServerOptions options,
    TimeProvider time,
    ILogger logger)
{
    private static readonly ActivitySource Tracing = new("WebIde.Execution.LanguageServers");

    private readonly SemaphoreSlim _sending = new(1, 1);
    // The gate reads the completion items the filter keeps: both are used under this lock.
    private readonly object _relayLock = new();
    private readonly ServerMessageFilter _filter = new(new CompletionItemStore());
    private readonly CancellationTokenSource _ended = new();
    private long _lastClientMessage = time.GetTimestamp();
    private int _closing;
    // Set once the client's `initialized` went to the server: notifications of the relay's own may follow it.
    private int _serverInitialized;

    public LanguageServerKey Key => key;

    public string SandboxId => sandbox.Id;

    public async Task ServeAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _ended.Token);
        var server = RelayServerAsync(linked.Token);
        var watchdog = WatchAsync(linked.Token);
        try
        {
            await RelayClientAsync(linked.Token);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // The browser went away, or the server did and closed the socket.
        }
        finally
        {
            await _ended.CancelAsync();
            await sandbox.DisposeAsync();
            await Task.WhenAll(server, watchdog).ContinueWith(_ => { }, TaskScheduler.Default);
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await CloseAsync(WebSocketCloseStatus.NormalClosure, null);
            }
        }
    }

    /// <summary>
    /// Keeps the server's copy of a workspace file current (it reads the project as saved) and tells it, as an
    /// editor's file watcher would (<c>workspace/didChangeWatchedFiles</c>): servers cache what they read, an
    /// import that failed included. A path no sandbox takes is skipped.
    /// </summary>
    public Task ReplaceFileAsync(string path, ReadOnlyMemory<byte> content, bool created, CancellationToken cancellationToken) =>
        ProjectPaths.Problem(path) is null
            ? sandbox.ReplaceFileAsync(path, content, WatchedFileChanged(path, created ? 1 : 2), cancellationToken)
            : Task.CompletedTask;

    public Task RemoveFileAsync(string path, CancellationToken cancellationToken) =>
        ProjectPaths.Problem(path) is null ? sandbox.RemoveFileAsync(path, WatchedFileChanged(path, 3), cancellationToken) : Task.CompletedTask;

    /// <summary>The notification of a file's change (LSP's FileChangeType: 1 created, 2 changed, 3 deleted), once the server is initialized.</summary>
    private ReadOnlyMemory<byte> WatchedFileChanged(string path, int type)
    {
        if (Volatile.Read(ref _serverInitialized) == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }
        var uri = $"{LspUris.ServerRoot}/{string.Join('/', path.Split('/').Select(Uri.EscapeDataString))}";
        var notification = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["method"] = "workspace/didChangeWatchedFiles",
            ["params"] = new JsonObject { ["changes"] = new JsonArray(new JsonObject { ["uri"] = uri, ["type"] = type }) },
        };
        return ForServer(notification);
    }

    /// <summary>Ends the session from outside (the workspace was deleted, the user's access removed): the socket closes with <paramref name="code"/>.</summary>
    public async Task EndAsync(int code, string reason)
    {
        await CloseAsync((WebSocketCloseStatus)code, reason);
        await _ended.CancelAsync();
    }

    private async Task RelayClientAsync(CancellationToken cancellationToken)
    {
        var gate = new ClientMessageGate(_filter.CompletionItems, server.InitializationOptions is { } initialization ? JsonNode.Parse(initialization) as JsonObject : null);
        var budget = new TokenBucket(options.MessagesPerSecond, options.MessageBurst, time);
        var buffer = new byte[options.MaxMessageBytes];
        while (socket.State == WebSocketState.Open)
        {
            var length = 0;
            ValueWebSocketReceiveResult received;
            do
            {
                if (length == buffer.Length)
                {
                    await CloseAsync(WebSocketCloseStatus.MessageTooBig, $"a message over {options.MaxMessageBytes} bytes");
                    return;
                }
                received = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                length += received.Count;
            }
            while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);

            if (received.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
            Interlocked.Exchange(ref _lastClientMessage, time.GetTimestamp());
            if (!budget.TryTake())
            {
                await CloseAsync(WebSocketCloseStatus.PolicyViolation, "too many messages");
                return;
            }

            ClientVerdict verdict;
            lock (_relayLock)
            {
                verdict = gate.Check(buffer.AsSpan(0, length));
                if (verdict.RequestId is { } requestId && verdict.RequestMethod is { } asked)
                {
                    _filter.Expect(requestId, asked);
                }
            }
            if (verdict.Refusal is { } refusal)
            {
                await SendAsync(refusal);
                continue;
            }
            using var activity = verdict.RequestMethod is { } method ? Tracing.StartActivity($"lsp {method}") : null;
            var forward = verdict.Forward!;
            await sandbox.WriteAsync(ForServer(forward), cancellationToken);
            if ((string?)forward["method"] == "initialized")
            {
                Volatile.Write(ref _serverInitialized, 1);
            }
        }
    }

    private async Task RelayServerAsync(CancellationToken cancellationToken)
    {
        var reader = new LspMessageReader(options.MaxMessageBytes);
        var reason = "the language server stopped";
        try
        {
            await foreach (var sandboxEvent in sandbox.ReadEventsAsync(cancellationToken))
            {
                switch (sandboxEvent)
                {
                    case SandboxOutput { Stderr: false } output:
                        reader.Append(output.Data.Span);
                        while (reader.TryRead(out var body))
                        {
                            ServerVerdict verdict;
                            lock (_relayLock)
                            {
                                verdict = _filter.Check(body.Span);
                            }
                            if (verdict.ToServer is { } answer)
                            {
                                await sandbox.WriteAsync(ForServer(answer), cancellationToken);
                            }
                            if (verdict.ToClient is { } message)
                            {
                                await SendAsync(message);
                            }
                        }
                        break;
                    case SandboxOutput output:
                        logger.LogDebug("Language server {Language} of workspace {WorkspaceId}: {Log}", key.Language, key.WorkspaceId, Encoding.UTF8.GetString(output.Data.Span));
                        break;
                    case SandboxStepExited exited:
                        logger.LogInformation("Language server {Language} of workspace {WorkspaceId} exited with {ExitCode} (timed out: {TimedOut}, out of memory: {OomKilled})",
                            key.Language, key.WorkspaceId, exited.Result.ExitCode, exited.Result.TimedOut, exited.Result.OomKilled);
                        reason = exited.Result.OomKilled ? "the language server ran out of memory" : reason;
                        break;
                    case SandboxFailed failed:
                        logger.LogWarning("The sandbox of language server {Language} failed: {Error}", key.Language, failed.Error);
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or ObjectDisposedException or WebSocketException)
        {
            logger.LogWarning(exception, "The language server {Language} of workspace {WorkspaceId} could not be relayed", key.Language, key.WorkspaceId);
        }
        // Ended from this side (the socket closed first, the container was removed with it): nothing to tell.
        if (!cancellationToken.IsCancellationRequested)
        {
            await EndAsync((int)WebSocketCloseStatus.InternalServerError, reason);
        }
    }

    /// <summary>Closes a socket idle past its time or open past the longest session.</summary>
    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        var opened = time.GetTimestamp();
        var period = TimeSpan.FromSeconds(Math.Clamp(options.IdleTimeout.TotalSeconds / 4, 1, 60));
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (time.GetElapsedTime(Interlocked.Read(ref _lastClientMessage)) >= options.IdleTimeout)
                {
                    await EndAsync((int)WebSocketCloseStatus.NormalClosure, "idle");
                    return;
                }
                if (time.GetElapsedTime(opened) >= options.MaxSession)
                {
                    await EndAsync((int)WebSocketCloseStatus.EndpointUnavailable, "the session is over; connect again");
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A message as the server reads it from stdin, with LSP's headers.</summary>
    private static byte[] ForServer(JsonNode message) => LspMessageReader.Frame(Encoding.UTF8.GetBytes(message.ToJsonString()));

    private async Task SendAsync(JsonNode message)
    {
        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _sending.WaitAsync();
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus code, string? reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1)
        {
            return;
        }
        await _sending.WaitAsync();
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(code, reason, CancellationToken.None);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException)
        {
        }
        finally
        {
            _sending.Release();
        }
    }
}
