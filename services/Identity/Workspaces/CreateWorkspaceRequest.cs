namespace WebIde.Identity.Workspaces;

public sealed record CreateWorkspaceRequest(string? Name);
