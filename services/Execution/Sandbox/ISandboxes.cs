namespace WebIde.Execution.Sandbox;

/// <summary>Where runs and checks get their sandbox: one per request, never reused.</summary>
public interface ISandboxes
{
    /// <summary>A sandbox that has taken <paramref name="request"/> and is working on it.</summary>
    Task<ISandboxSession> StartAsync(SandboxRequest request, CancellationToken cancellationToken);
}
