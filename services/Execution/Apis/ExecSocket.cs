using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WebIde.Execution.Runs;

namespace WebIde.Execution.Apis;

/// <summary>
/// <c>GET /ws/exec/{workspaceId}</c>: runs of the workspace with output streamed as it comes and
/// stdin typed while they run. One run at a time per socket; closing the socket kills it.
/// </summary>
public sealed class ExecSocket(WebSocket socket, RunCaller caller, Guid workspaceId, RunLauncher launcher, ILogger logger)
{
    /// <summary>Largest message a client may send (stdin pieces included).</summary>
    public const int MaxMessageBytes = 1 << 20;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SemaphoreSlim _sending = new(1, 1);
    private ActiveRun? _run;

    /// <summary>
    /// The run until its <c>exited</c> frame is sent. Input that crosses an ending run on the wire
    /// still belongs to it (and is dropped); only input sent after <c>exited</c> is <c>no_run</c>.
    /// </summary>
    private volatile ActiveRun? _open;
    private Task _pump = Task.CompletedTask;

    public async Task ServeAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxMessageBytes];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var (length, close) = await ReceiveAsync(buffer, cancellationToken);
                if (close is not null)
                {
                    if (close != WebSocketCloseStatus.NormalClosure)
                    {
                        await socket.CloseAsync(close.Value, "message over 1 MiB", CancellationToken.None);
                    }
                    break;
                }
                await HandleAsync(buffer.AsMemory(0, length), cancellationToken);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // The browser went away; its run goes with it, below.
        }
        finally
        {
            if (_run is { } run)
            {
                await run.KillAsync(CancellationToken.None);
            }
            await _pump;
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
        }
    }

    private async Task<(int Length, WebSocketCloseStatus? Close)> ReceiveAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                return (0, WebSocketCloseStatus.MessageTooBig);
            }
            var received = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return (0, WebSocketCloseStatus.NormalClosure);
            }
            length += received.Count;
            if (received.EndOfMessage)
            {
                return (length, null);
            }
        }
    }

    private async Task HandleAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        SocketCommand? command;
        try
        {
            command = JsonSerializer.Deserialize<SocketCommand>(message.Span, Json);
        }
        catch (JsonException)
        {
            command = null;
        }

        var running = _open;
        switch (command?.Type)
        {
            case "run" when running is not null:
                await SendErrorAsync("run_in_progress", "a run is going on this socket; kill it or wait for it to exit");
                break;
            case "run":
                await StartAsync(command, cancellationToken);
                break;
            case "stdin" or "closeStdin" or "kill" when running is null:
                await SendErrorAsync("no_run", "no run is going on this socket");
                break;
            case "stdin":
                await running!.SendStdinAsync(Encoding.UTF8.GetBytes(command.Data ?? ""), cancellationToken);
                break;
            case "closeStdin":
                await running!.CloseStdinAsync(cancellationToken);
                break;
            case "kill":
                await running!.KillAsync(cancellationToken);
                break;
            default:
                await SendErrorAsync("invalid_message", "messages are JSON objects with type run, stdin, closeStdin or kill");
                break;
        }
    }

    private async Task StartAsync(SocketCommand command, CancellationToken cancellationToken)
    {
        var submission = new RunRequestBody(command.Entry, command.Language, command.Stdin, command.Args, command.Limits).ToSubmission(workspaceId);
        try
        {
            _run = await launcher.LaunchAsync(submission, caller, interactive: true, "websocket", cancellationToken);
        }
        catch (RunRequestException refused)
        {
            await SendErrorAsync(refused.Problem switch
            {
                RunRequestProblem.WorkspaceNotFound => "not_found",
                RunRequestProblem.TooLarge => "too_large",
                _ => "invalid_request",
            }, refused.Message);
            return;
        }
        catch (RunRefusedException busy)
        {
            await SendErrorAsync("rate_limited", busy.Message);
            return;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A dependency that is down (the filesystem, the engine) fails this run, not the socket.
            logger.LogError(exception, "A run on the socket of workspace {WorkspaceId} could not start", workspaceId);
            await SendErrorAsync("unavailable", "the run could not be started; try again shortly");
            return;
        }
        _open = _run;
        _pump = PumpAsync(_run);
    }

    private async Task PumpAsync(ActiveRun run)
    {
        var stdout = new OutputDecoder();
        var stderr = new OutputDecoder();
        try
        {
            await foreach (var runEvent in run.Events.ReadAllAsync())
            {
                switch (runEvent)
                {
                    case RunStarted started:
                        await SendAsync(new JsonObject { ["type"] = "started", ["runId"] = started.RunId, ["language"] = started.Language, ["version"] = started.Version });
                        break;
                    case RunOutput output:
                        var decoder = output.Stream == OutputStream.Stdout ? stdout : stderr;
                        var text = decoder.Decode(output.Data.Span);
                        if (text.Length > 0)
                        {
                            await SendAsync(new JsonObject { ["type"] = output.Stream == OutputStream.Stdout ? "stdout" : "stderr", ["data"] = text });
                        }
                        break;
                    case RunExited exited:
                        foreach (var (name, rest) in new[] { ("stdout", stdout.Flush()), ("stderr", stderr.Flush()) })
                        {
                            if (rest.Length > 0)
                            {
                                await SendAsync(new JsonObject { ["type"] = name, ["data"] = rest });
                            }
                        }
                        var result = exited.Result;
                        await SendAsync(endsRun: true, message: new JsonObject
                        {
                            ["type"] = "exited",
                            ["runId"] = run.RunId,
                            ["status"] = result.Status.ToContractName(),
                            ["exitCode"] = result.ExitCode,
                            ["wallTimeMs"] = result.WallTimeMs,
                            ["cpuTimeMs"] = result.CpuTimeMs,
                            ["peakMemoryBytes"] = result.PeakMemoryBytes,
                            ["outputTruncated"] = result.OutputTruncated,
                        });
                        break;
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException)
        {
            logger.LogDebug("The socket of run {RunId} closed while its output was sent", run.RunId);
            await run.KillAsync(CancellationToken.None);
        }
        finally
        {
            _open = null;
        }
    }

    private Task SendErrorAsync(string code, string message) =>
        SendAsync(new JsonObject { ["type"] = "error", ["code"] = code, ["message"] = message });

    /// <remarks>
    /// A run ends under the send lock, so a <c>no_run</c> answer decided after it can only go out
    /// behind the run's <c>exited</c>.
    /// </remarks>
    private async Task SendAsync(JsonObject message, bool endsRun = false)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, Json);
        await _sending.WaitAsync();
        try
        {
            if (endsRun)
            {
                _open = null;
            }
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
}
