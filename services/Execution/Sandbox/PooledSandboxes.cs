using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace WebIde.Execution.Sandbox;

/// <summary>
/// Sandboxes for runs: one of the user's own containers (<see cref="UserSandboxes"/>), or a warm or new
/// one that becomes theirs, each with its request sent before it is handed out as a lease for the run.
/// </summary>
public sealed class PooledSandboxes(UserSandboxes users, WarmPool pool, IOptions<SandboxOptions> options, ILogger<PooledSandboxes> logger) : ISandboxes
{
    private static readonly ActivitySource Tracing = new("WebIde.Execution.Sandbox");

    /// <summary>
    /// Files, request and initial stdin go in one write: one round through the engine's attach stream.
    /// A container can die while idle (an operator's cleanup; an engine restart kills every one of them
    /// at once): then again with another, until the pool's idle ones are used up and one started now
    /// was tried. Each dead one is removed on the way.
    /// </summary>
    public async Task<ISandboxSession> StartAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string> { [SandboxLabels.Run] = request.RunId.ToString("D") };
        if (request.WorkspaceId is { } workspaceId)
        {
            labels[SandboxLabels.Workspace] = workspaceId.ToString("D");
        }
        var shape = new SandboxShape(request.MemoryBytes);
        var frames = AgentProtocol.RequestFrames(request);

        // As many tries as the pool has idle containers, and one more with a container started now;
        // two at least, as a container can also die just after its start; and the user's own.
        var tries = Math.Max(2, 1 + (shape == WarmPool.DefaultShape ? pool.IdleCount(request.Language) : 0)) + users.IdleCountOf(request.Tenant);
        for (var attempt = 1; ; attempt++)
        {
            SandboxContainer sandbox;
            using (Tracing.StartActivity("sandbox take"))
            {
                sandbox = await users.TakeAsync(request.Tenant, request.Language, shape, labels, cancellationToken);
            }
            var lease = new SandboxLease(sandbox, await sandbox.BeginLeaseAsync(), users, options.Value.WatchdogGrace, logger);
            try
            {
                await lease.SendAsync(frames, cancellationToken);
                return lease;
            }
            catch (Exception exception) when (attempt < tries && exception is IOException or ObjectDisposedException)
            {
                logger.LogWarning(exception, "Sandbox {ContainerId} did not take its request; starting another", sandbox.Id);
                await sandbox.DisposeAsync();
                await lease.DisposeAsync();
            }
            catch
            {
                await sandbox.DisposeAsync();
                await lease.DisposeAsync();
                throw;
            }
        }
    }
}
