using System.Diagnostics;

namespace WebIde.Execution.Sandbox;

/// <summary>Sandboxes from the warm pool, or started on demand, each with its request sent before it is handed out.</summary>
public sealed class PooledSandboxes(WarmPool pool, ILogger<PooledSandboxes> logger) : ISandboxes
{
    private static readonly ActivitySource Tracing = new("WebIde.Execution.Sandbox");

    /// <summary>
    /// Files, request and initial stdin go in one write: one round through the engine's attach stream.
    /// A pooled container can die while idle (an operator's cleanup; an engine restart kills every one
    /// of them at once): then again with another, until the pool's idle ones are used up and one
    /// started now was tried. Each dead one is removed on the way.
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
        // two at least, as a container can also die just after its start.
        var tries = Math.Max(2, 1 + (shape == WarmPool.DefaultShape ? pool.IdleCount(request.Language) : 0));
        for (var attempt = 1; ; attempt++)
        {
            SandboxContainer sandbox;
            using (Tracing.StartActivity("sandbox take"))
            {
                sandbox = await pool.TakeAsync(request.Language, shape, labels, cancellationToken);
            }
            try
            {
                await sandbox.SendAsync(frames, cancellationToken);
                return sandbox;
            }
            catch (Exception exception) when (attempt < tries && exception is IOException or ObjectDisposedException)
            {
                logger.LogWarning(exception, "Sandbox {ContainerId} did not take its request; starting another", sandbox.Id);
                await sandbox.DisposeAsync();
            }
            catch
            {
                await sandbox.DisposeAsync();
                throw;
            }
        }
    }
}
