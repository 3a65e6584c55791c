namespace WebIde.Execution.Runs;

/// <summary>The runs going on this instance, as a workspace's deletion needs them.</summary>
public interface IWorkspaceRuns
{
    /// <summary>Kills every run of the workspace; returns how many there were.</summary>
    Task<int> KillWorkspaceAsync(Guid workspaceId, CancellationToken cancellationToken);
}
