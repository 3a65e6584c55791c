using System.Text.Json;
using Grpc.Core;
using WebIde.Contracts.Execution.V1;

namespace WebIde.IntegrationTests.Execution;

/// <summary>
/// The Docker engine restarts while one user's programs run, as many as a user may run at once,
/// over gRPC (Run and RunInteractive) and the WebSocket: every run ends with a status (none
/// hangs), no admission slot stays taken, and the user's runs succeed again, all at once, over
/// REST, once the engine is back.
/// </summary>
/// <remarks>
/// Restarting the engine stops every container on the machine, other checkouts' too, and needs
/// root; so this test is explicit and runs alone, only when named:
/// <code>
/// sudo -E dotnet test tests/WebIde.IntegrationTests --filter "FullyQualifiedName~EngineRestartTests"
/// </code>
/// (the engine and the runner image must be there, as <c>./webide test</c> prepares them). When
/// <c>./webide</c> started the engine, the restarted one is a new process that <c>./webide</c>
/// leaves running.
/// </remarks>
[Explicit("Restarts the Docker engine: run it alone, as root, with --filter FullyQualifiedName~EngineRestartTests")]
[Category("EngineRestart")]
[NonParallelizable]
public sealed class EngineRestartTests
{
    /// <summary>The runs one user may have going at once (Execution:Runs:MaxConcurrentPerUser).</summary>
    private const int UserLimit = 4;

    /// <summary>Runs until long after the restart is over, unless the restart ends it.</summary>
    private const string Sleeper = "import time\nprint('started', flush=True)\ntime.sleep(55)\nprint('finished')\n";

    /// <summary>Longer than a run waits for a slot (Execution:Runs:MaxQueueWait, 5 s): a slot still taken refuses one of these.</summary>
    private const string SlotHolder = "import time\ntime.sleep(7)\nprint('held')\n";

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);

    private static readonly TimeSpan RestartDeadline = TimeSpan.FromMinutes(3);

    /// <summary>From the engine's answering again until every run caught by the restart has ended: before a sleeper could finish.</summary>
    private static readonly TimeSpan RunsEndDeadline = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan BurstDeadline = TimeSpan.FromSeconds(90);

    [Test]
    public async Task RunsCaughtByAnEngineRestartEndWithAStatusAndTheUsersRunsSucceedAfterwards()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Inconclusive("restarting the Docker engine needs root");
        }
        using var workspace = await ExecWorkspace.CreateAsync("engine-restart");
        await workspace.WriteAsync("sleeper.py", Sleeper);
        await workspace.WriteAsync("holder.py", SlotHolder);
        await workspace.WriteAsync("alive.py", "print('alive')\n");
        using var grpc = new ExecGrpc();

        // The user's whole allowance, each program seen started (it printed) before the restart.
        using var started = new CancellationTokenSource(StartDeadline);
        using var first = await StartGrpcRunAsync(grpc, workspace, started.Token);
        using var second = await StartGrpcRunAsync(grpc, workspace, started.Token);
        using var interactive = await StartInteractiveRunAsync(grpc, workspace, started.Token);
        await using var socket = await StartSocketRunAsync(workspace);

        using (var restart = new CancellationTokenSource(RestartDeadline))
        {
            await DockerEngine.RestartAsync(restart.Token);
        }

        using var ended = new CancellationTokenSource(RunsEndDeadline);
        var outcomes = new Dictionary<string, string>
        {
            ["grpc Run"] = await ExitedOrStatusAsync(first.ResponseStream, ended.Token),
            ["grpc Run (2)"] = await ExitedOrStatusAsync(second.ResponseStream, ended.Token),
            ["grpc RunInteractive"] = await ExitedOrStatusAsync(interactive.ResponseStream, ended.Token),
            ["socket"] = (await socket.ReceiveUntilAsync("exited", RunsEndDeadline))[^1].GetProperty("status").GetString()!,
        };
        var summary = string.Join("; ", outcomes.Select(outcome => $"{outcome.Key}: {outcome.Value}"));
        await TestContext.Out.WriteLineAsync($"runs caught by the restart: {summary}");
        Assert.That(outcomes.Values, Has.All.EqualTo("internal_error"), $"each run caught by the restart ends as internal_error: {summary}");

        // Once the engine is back, the user's runs succeed again: the first one within the deadline…
        using var recovery = new CancellationTokenSource(RecoveryDeadline);
        await FirstSuccessfulRunAsync(grpc, workspace, recovery.Token);

        // …and as many at once as the user may run, each longer than a run waits for a slot: none
        // refused, so no slot of the runs the restart ended is still taken.
        using var burstDeadline = new CancellationTokenSource(BurstDeadline);
        var answers = await Task.WhenAll(Enumerable.Range(0, UserLimit).Select(async _ =>
        {
            using var answer = await workspace.PostRunAsync(new { entry = "holder.py" }).WaitAsync(burstDeadline.Token);
            return $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync(burstDeadline.Token)}";
        }));
        Assert.That(answers, Has.All.StartWith("200 ").And.All.Contains("\"status\":\"ok\"").And.All.Contains("held"), string.Join(Environment.NewLine, answers));
    }

    /// <summary>A gRPC run of the sleeper, returned once the program has printed that it started.</summary>
    private static async Task<AsyncServerStreamingCall<RunEvent>> StartGrpcRunAsync(ExecGrpc grpc, ExecWorkspace workspace, CancellationToken cancellationToken)
    {
        var call = grpc.Client.Run(SleeperRequest(workspace), ExecGrpc.As(workspace.AccessToken, seconds: 600));
        await UntilStartedAsync(call.ResponseStream, cancellationToken);
        return call;
    }

    /// <summary>An interactive run of the sleeper, its request stream left open, returned once the program has printed.</summary>
    private static async Task<AsyncDuplexStreamingCall<RunInput, RunEvent>> StartInteractiveRunAsync(ExecGrpc grpc, ExecWorkspace workspace, CancellationToken cancellationToken)
    {
        var call = grpc.Client.RunInteractive(ExecGrpc.As(workspace.AccessToken, seconds: 600));
        await call.RequestStream.WriteAsync(new RunInput { Request = SleeperRequest(workspace) }, cancellationToken);
        await UntilStartedAsync(call.ResponseStream, cancellationToken);
        return call;
    }

    /// <summary>A run of the sleeper on the exec socket, returned once the program has printed.</summary>
    private static async Task<JsonSocketClient> StartSocketRunAsync(ExecWorkspace workspace)
    {
        var socket = await JsonSocketClient.ConnectAsync(workspace.Id, workspace.AccessToken);
        await socket.SendAsync(new { type = "run", entry = "sleeper.py", limits = new { timeoutMs = 60_000 } });
        var messages = new List<JsonElement>();
        while (!JsonSocketClient.Text(messages, "stdout").Contains("started", StringComparison.Ordinal))
        {
            var message = await socket.ReceiveAsync(StartDeadline);
            Assert.That(JsonSocketClient.TypeOf(message), Is.Not.EqualTo("exited").And.Not.EqualTo("error"), message.GetRawText());
            messages.Add(message);
        }
        return socket;
    }

    private static RunRequest SleeperRequest(ExecWorkspace workspace) =>
        new() { WorkspaceId = workspace.Id, Entry = "sleeper.py", Limits = new RunLimits { TimeoutMs = 60_000 } };

    private static async Task UntilStartedAsync(IAsyncStreamReader<RunEvent> events, CancellationToken cancellationToken)
    {
        while (await events.MoveNext(cancellationToken))
        {
            var current = events.Current;
            Assert.That(current.EventCase, Is.Not.EqualTo(RunEvent.EventOneofCase.Exited), $"the sleeper ended before the restart: {current}");
            if (current.EventCase == RunEvent.EventOneofCase.Stdout && current.Stdout.ToStringUtf8().Contains("started", StringComparison.Ordinal))
            {
                return;
            }
        }
        Assert.Fail("the call ended before the sleeper printed");
    }

    /// <summary>The status of the run's exited event, as the REST API names it, or how the call ended without one.</summary>
    private static async Task<string> ExitedOrStatusAsync(IAsyncStreamReader<RunEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            while (await events.MoveNext(cancellationToken))
            {
                if (events.Current.EventCase == RunEvent.EventOneofCase.Exited)
                {
                    return events.Current.Exited.Status == RunStatus.InternalError ? "internal_error" : events.Current.Exited.ToString();
                }
            }
            return "the call ended without an exited event";
        }
        catch (RpcException exception)
        {
            return $"the call failed: {exception.Status}";
        }
    }

    /// <summary>Runs alive.py over gRPC until it answers ok; what failed before is printed, not asserted: the engine is coming back.</summary>
    private static async Task FirstSuccessfulRunAsync(ExecGrpc grpc, ExecWorkspace workspace, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        while (true)
        {
            try
            {
                using var call = grpc.Client.Run(new RunRequest { WorkspaceId = workspace.Id, Entry = "alive.py" }, ExecGrpc.As(workspace.AccessToken));
                var run = await ExecGrpc.CollectAsync(call.ResponseStream).WaitAsync(cancellationToken);
                if (run.Exited?.Status == RunStatus.Ok && run.Stdout == "alive\n")
                {
                    await TestContext.Out.WriteLineAsync($"runs that failed while the engine came back: {failures.Count} ({string.Join("; ", failures)})");
                    return;
                }
                failures.Add(run.ToString());
            }
            catch (RpcException exception)
            {
                failures.Add(exception.Status.ToString());
            }
            Assert.That(cancellationToken.IsCancellationRequested, Is.False, $"no run succeeded within {RecoveryDeadline}: {string.Join("; ", failures.TakeLast(5))}");
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }
}
