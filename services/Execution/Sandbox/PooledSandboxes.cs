using System.Diagnostics;

namespace WebIde.Execution.Sandbox;

/// <summary>Sandboxes from the warm pool, or started on demand, each with its request sent before it is handed out.</summary>
public sealed class PooledSandboxes(WarmPool pool, ILogger<PooledSandboxes> logger) : ISandboxes
{
    private static readonly ActivitySource Tracing = new("WebIde.Execution.Sandbox");

    /// <summary>
    /// Files, request and initial stdin go in one write: one round through the engine's attach stream.
    /// A pooled container can die while idle (an engine restart, an operator's cleanup): then once more
    /// with another.
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
            catch (Exception exception) when (attempt == 1 && exception is IOException or ObjectDisposedException)
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
