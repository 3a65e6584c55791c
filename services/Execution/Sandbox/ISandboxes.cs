namespace WebIde.Execution.Sandbox;

/// <summary>Where runs and checks get their sandbox: a fresh jail per run, in a container that serves only the request's user.</summary>
public interface ISandboxes
{
    /// <summary>A sandbox that has taken <paramref name="request"/> and is working on it.</summary>
    Task<ISandboxSession> StartAsync(SandboxRequest request, CancellationToken cancellationToken);
}
