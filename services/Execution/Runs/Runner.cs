using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using WebIde.Execution.Languages;
using WebIde.Execution.Layout;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.Runs;

/// <summary>
/// Starts runs in sandboxes and turns what a sandbox reports into run events. The sandbox
/// enforces the limits from inside; a watchdog here ends a run whose sandbox does not.
/// </summary>
public sealed class Runner(
    ISandboxes sandboxes,
    LanguageVersions versions,
    SandboxMetrics metrics,
    IOptions<RunsOptions> options,
    IOptions<SandboxOptions> sandboxOptions,
    ILogger<Runner> logger) : IWorkspaceRuns
{
    /// <summary>A span per run, from admission to verdict, under the request that asked for it.</summary>
    public static readonly ActivitySource Tracing = new("WebIde.Execution");

    private readonly ConcurrentDictionary<Guid, ActiveRun> _active = new();

    public async Task<ActiveRun> StartAsync(RunPlan plan, CancellationToken cancellationToken)
    {
        var runId = Guid.NewGuid();
        var language = plan.Language;
        var version = await versions.OfAsync(language.Name, cancellationToken);

        var activity = Tracing.StartActivity($"run {language.Name}");
        activity?.SetTag("webide.run.id", runId.ToString("D"));
        activity?.SetTag("webide.run.language", language.Name);
        activity?.SetTag("webide.run.source", plan.Owner.Source);
        activity?.SetTag("webide.workspace.id", plan.Owner.WorkspaceId?.ToString("D"));

        ISandboxSession sandbox;
        try
        {
            sandbox = await sandboxes.StartAsync(Request(runId, plan.Owner.CallerId, plan.Owner.WorkspaceId, language.Name, plan.Limits.MemoryBytes, plan.Project.Files, Steps(plan), plan.Stdin, closeStdin: !plan.Interactive), cancellationToken);
        }
        catch
        {
            activity?.Dispose();
            throw;
        }
        activity?.SetTag("webide.sandbox.id", sandbox.Id);

        var events = Channel.CreateUnbounded<RunEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        events.Writer.TryWrite(new RunStarted(runId, language.Name, version));
        var completion = new TaskCompletionSource<RunResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = new ActiveRun(runId, plan, sandbox, events.Reader, completion.Task);
        _active[runId] = run;
        _ = PumpAsync(run, sandbox, events.Writer, completion, activity);
        return run;
    }

    /// <summary>Ends every run of a deleted workspace.</summary>
    public async Task<int> KillWorkspaceAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        var runs = _active.Values.Where(run => run.Plan.Owner.WorkspaceId == workspaceId).ToList();
        foreach (var run in runs)
        {
            await run.KillAsync(cancellationToken);
        }
        return runs.Count;
    }

    public int ActiveCount => _active.Count;

    /// <summary>
    /// One command over a project with its output captured, not streamed: how a checker runs, in one of
    /// <paramref name="tenant"/>'s containers.
    /// The sandbox's own time limit holds it; the watchdog backs that up.
    /// </summary>
    public async Task<SandboxStepResult> CaptureAsync(string tenant, string language, IReadOnlyList<SourceFile> files, IReadOnlyList<string> argv, RunLimits limits, CancellationToken cancellationToken)
    {
        var step = new SandboxStep("check", argv, SandboxLayout.Environment, (long)limits.Timeout.TotalMilliseconds, limits.MaxOutputBytes, ForwardOutput: false, Stdin: false);
        var request = Request(Guid.NewGuid(), tenant, null, language, limits.MemoryBytes, files, [step], ReadOnlyMemory<byte>.Empty, closeStdin: true);
        await using var sandbox = await sandboxes.StartAsync(request, cancellationToken);

        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        watchdog.CancelAfter(limits.Timeout + sandboxOptions.Value.WatchdogGrace);
        await foreach (var sandboxEvent in EventsWithinAsync(sandbox, watchdog.Token))
        {
            switch (sandboxEvent)
            {
                case SandboxStepExited exited:
                    return exited.Result;
                case SandboxFailed failed:
                    throw new InvalidOperationException($"the sandbox agent failed: {failed.Error}");
            }
        }
        throw new InvalidOperationException($"the sandbox ended without a result. {sandbox.Log}");
    }

    private static SandboxRequest Request(Guid runId, string tenant, Guid? workspaceId, string language, long memoryBytes, IReadOnlyList<SourceFile> files, IReadOnlyList<SandboxStep> steps, ReadOnlyMemory<byte> stdin, bool closeStdin) =>
        new(runId, tenant, workspaceId, language, memoryBytes, [.. files.Select(file => new SandboxFile(file.Path, file.Content))], steps, SandboxLayout.Directories, stdin, closeStdin);

    private List<SandboxStep> Steps(RunPlan plan)
    {
        var settings = options.Value;
        var environment = plan.Language.StepEnvironment();

        var steps = new List<SandboxStep>(2);
        if (plan.Language.CompileCommand(plan.Project) is { } compile)
        {
            steps.Add(new SandboxStep("compile", compile, environment, (long)settings.CompileTimeout.TotalMilliseconds, settings.CompileOutputBytes, ForwardOutput: false, Stdin: false));
        }
        steps.Add(new SandboxStep("run", plan.Language.RunCommand(plan.Project), environment, (long)plan.Limits.Timeout.TotalMilliseconds, plan.Limits.MaxOutputBytes, ForwardOutput: true, Stdin: true));
        return steps;
    }

    /// <summary>
    /// The run's events and verdict from its sandbox. Whatever happens here, the run ends: its
    /// exited event is sent and its completion set, which is what gives its admission slot back.
    /// </summary>
    private async Task PumpAsync(ActiveRun run, ISandboxSession sandbox, ChannelWriter<RunEvent> events, TaskCompletionSource<RunResult> completion, Activity? activity)
    {
        var started = Stopwatch.GetTimestamp();
        RunResult result;
        try
        {
            result = await VerdictAsync(run, sandbox, events, started);
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Run {RunId} failed in the service. {AgentLog}", run.RunId, sandbox.Log);
            result = Failed(RunStatus.InternalError, started);
        }

        _active.TryRemove(run.RunId, out _);
        activity?.SetTag("webide.run.status", result.Status.ToContractName());
        activity?.SetTag("webide.run.exit_code", result.ExitCode);
        if (result.Status == RunStatus.InternalError)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
        }
        activity?.Dispose();
        // Handed back before the caller hears the verdict: the container is marked as on its way back at
        // once (the agent's check after the run takes a few milliseconds more), so the user's next run
        // waits for it instead of taking another container.
        var handedBack = sandbox.DisposeAsync();
        events.TryWrite(new RunExited(result));
        events.TryComplete();
        completion.TrySetResult(result);
        metrics.RunFinished(run.Plan.Language.Name, result.Status.ToContractName(), Stopwatch.GetElapsedTime(started));
        try
        {
            await handedBack;
        }
        catch (Exception exception)
        {
            // The run is over; a container the engine did not remove now is the sweeper's.
            logger.LogWarning(exception, "The sandbox of run {RunId} could not be removed", run.RunId);
        }
    }

    private async Task<RunResult> VerdictAsync(ActiveRun run, ISandboxSession sandbox, ChannelWriter<RunEvent> events, long started)
    {
        var settings = options.Value;
        var grace = sandboxOptions.Value.WatchdogGrace;
        var hasCompile = run.Plan.Language.CompileCommand(run.Plan.Project) is not null;
        using var watchdog = new CancellationTokenSource((hasCompile ? settings.CompileTimeout : run.Plan.Limits.Timeout) + grace);
        RunResult? result = null;
        long forwarded = 0;
        var truncated = false;
        try
        {
            await foreach (var sandboxEvent in EventsWithinAsync(sandbox, watchdog.Token))
            {
                switch (sandboxEvent)
                {
                    case SandboxOutput output:
                        // The sandbox stops at the cap; this guards against one that does not.
                        var room = run.Plan.Limits.MaxOutputBytes - forwarded;
                        var data = output.Data.Length > room ? output.Data[..(int)Math.Max(0, room)] : output.Data;
                        truncated |= data.Length < output.Data.Length;
                        forwarded += data.Length;
                        if (!data.IsEmpty)
                        {
                            events.TryWrite(new RunOutput(output.Stderr ? OutputStream.Stderr : OutputStream.Stdout, data));
                        }
                        if (truncated)
                        {
                            // Under the watchdog too: a write to a stream whose engine hangs must not hold the run.
                            await run.KillAsync(watchdog.Token);
                        }
                        break;
                    case SandboxStepExited { Result: var step }:
                        if (step.Step == "compile" && step is { ExitCode: 0, TimedOut: false, OomKilled: false, Killed: false })
                        {
                            watchdog.CancelAfter(run.Plan.Limits.Timeout + grace);
                            break;
                        }
                        result = Conclude(step, run.KillRequested, truncated);
                        if (step.Step == "compile" && !string.IsNullOrEmpty(step.Output))
                        {
                            events.TryWrite(new RunOutput(OutputStream.Stderr, System.Text.Encoding.UTF8.GetBytes(step.Output)));
                        }
                        break;
                    case SandboxFailed failed:
                        logger.LogError("The sandbox agent of run {RunId} failed: {AgentError} {AgentLog}", run.RunId, failed.Error, sandbox.Log);
                        result = Failed(RunStatus.InternalError, started);
                        break;
                }

                if (result is not null)
                {
                    return result;
                }
            }
        }
        catch (OperationCanceledException) when (watchdog.IsCancellationRequested)
        {
            logger.LogWarning("Run {RunId} outlived its limit; its container is removed", run.RunId);
            return Failed(RunStatus.Timeout, started);
        }
        catch (Exception exception)
        {
            // The attach stream broke: the engine restarted or went away, or the agent sent garbage.
            logger.LogError(exception, "Reading run {RunId} from its sandbox failed. {AgentLog}", run.RunId, sandbox.Log);
            return Failed(RunStatus.InternalError, started);
        }

        // The stream ended without a verdict: the agent died, by the OOM killer or otherwise, or the engine stopped it.
        if (await WasOomKilledAsync(run, sandbox))
        {
            return Failed(RunStatus.MemoryLimit, started);
        }
        if (run.KillRequested)
        {
            return Failed(RunStatus.Killed, started);
        }
        logger.LogError("Run {RunId} ended without a verdict from its agent. {AgentLog}", run.RunId, sandbox.Log);
        return Failed(RunStatus.InternalError, started);
    }

    /// <summary>
    /// Whether the kernel killed the sandbox for its memory, asked of the engine for no longer than
    /// the watchdog's grace. An engine that is restarting, gone or hung cannot say; the run then
    /// failed on the platform's side, not the program's.
    /// </summary>
    private async Task<bool> WasOomKilledAsync(ActiveRun run, ISandboxSession sandbox)
    {
        using var bound = new CancellationTokenSource(sandboxOptions.Value.WatchdogGrace);
        try
        {
            return await sandbox.WasOomKilledAsync(bound.Token).WaitAsync(bound.Token);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "The engine could not say how the sandbox of run {RunId} ended", run.RunId);
            return false;
        }
    }

    /// <summary>
    /// The sandbox's events, none waited for past <paramref name="deadline"/>, whether or not the
    /// session's stream gives up when cancelled: a read blocked on an engine that hangs with its
    /// socket open must not hold the run, and its slot, for good. A read left behind ends when the
    /// sandbox is disposed, which closes its stream.
    /// </summary>
    private static async IAsyncEnumerable<SandboxEvent> EventsWithinAsync(ISandboxSession sandbox, [EnumeratorCancellation] CancellationToken deadline)
    {
        var events = sandbox.ReadEventsAsync(deadline).GetAsyncEnumerator(deadline);
        Task<bool>? next = null;
        try
        {
            while (true)
            {
                next = events.MoveNextAsync().AsTask();
                if (!await next.WaitAsync(deadline))
                {
                    yield break;
                }
                yield return events.Current;
            }
        }
        finally
        {
            if (next is { IsCompleted: false })
            {
                // Left behind, never to be awaited: its failure, when the stream closes, is observed here.
                _ = next.ContinueWith(static read => read.Exception, CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            else
            {
                await events.DisposeAsync();
            }
        }
    }

    private static RunResult Conclude(SandboxStepResult step, bool killRequested, bool truncatedHere)
    {
        var status = step switch
        {
            _ when killRequested && !step.OutputLimited && !truncatedHere => RunStatus.Killed,
            { OomKilled: true } => RunStatus.MemoryLimit,
            { TimedOut: true } => RunStatus.Timeout,
            { OutputLimited: true } => RunStatus.OutputLimit,
            _ when truncatedHere => RunStatus.OutputLimit,
            { Killed: true } => RunStatus.Killed,
            { Step: "compile" } => RunStatus.CompileError,
            { ExitCode: 0 } => RunStatus.Ok,
            _ => RunStatus.RuntimeError,
        };
        var isRun = step.Step == "run";
        return new RunResult(status, step.ExitCode, isRun ? step.WallMs : 0, isRun ? step.CpuMs : 0, isRun ? step.PeakMemoryBytes : 0, step.OutputLimited || truncatedHere);
    }

    private static RunResult Failed(RunStatus status, long started) =>
        new(status, -1, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, 0, 0, false);
}
