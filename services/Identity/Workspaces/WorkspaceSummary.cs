namespace WebIde.Identity.Workspaces;

/// <summary>A workspace as one of its members sees it: <see cref="Role"/> is the caller's.</summary>
public sealed record WorkspaceSummary(Guid Id, string Name, string Role);
