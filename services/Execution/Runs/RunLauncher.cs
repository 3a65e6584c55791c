using MassTransit;
using WebIde.Contracts.Events;

namespace WebIde.Execution.Runs;

/// <summary>
/// The path every API takes: validate, wait for a fair slot, read the workspace's files, start in
/// a sandbox; when the run ends, free the slot and announce it.
/// </summary>
public sealed class RunLauncher(RunPlanner planner, RunAdmission admission, Runner runner, IBus bus, TimeProvider time, ILogger<RunLauncher> logger)
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    public async Task<ActiveRun> LaunchAsync(RunSubmission input, RunCaller caller, bool interactive, string source, CancellationToken cancellationToken)
    {
        var validated = planner.Validate(input, caller, interactive, source);
        // The slot before the files: a run refused for its slot, or waiting for one, holds none
        // of its workspace in memory, however many such runs come at once.
        var slot = await admission.EnterAsync(validated.Owner, cancellationToken);
        ActiveRun run;
        try
        {
            var plan = await planner.PlanAsync(validated, cancellationToken);
            run = await runner.StartAsync(plan, cancellationToken);
        }
        catch
        {
            // Files missing, a bad entry, a caller gone, a filesystem or an engine down: the slot is not kept.
            await slot.DisposeAsync();
            throw;
        }

        _ = FinishAsync(run, slot, time.GetUtcNow());
        return run;
    }

    private async Task FinishAsync(ActiveRun run, IAsyncDisposable slot, DateTimeOffset startedAt)
    {
        var result = await run.Completion;
        await slot.DisposeAsync();
        var owner = run.Plan.Owner;
        try
        {
            using var timeout = new CancellationTokenSource(PublishTimeout);
            await bus.Publish(new ExecutionCompleted(run.RunId, owner.CallerId, owner.WorkspaceId, run.Plan.Language.Name, result.Status.ToContractName(), result.ExitCode,
                startedAt, time.GetUtcNow(), result.WallTimeMs, result.CpuTimeMs, result.PeakMemoryBytes, result.OutputTruncated, owner.Source), timeout.Token);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Could not announce the end of run {RunId}", run.RunId);
        }
    }
}
