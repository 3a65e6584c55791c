namespace WebIde.Execution.Runs;

/// <summary>Who a run is for: the user (or service) it is counted against and the workspace whose files it runs, if any.</summary>
public sealed record RunOwner(string CallerId, Guid? WorkspaceId, string Source);
