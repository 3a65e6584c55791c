namespace WebIde.Identity.Workspaces;

/// <summary>A workspace with everyone in it; <see cref="Role"/> is the caller's.</summary>
public sealed record WorkspaceDetails(Guid Id, string Name, string Role, IReadOnlyList<WorkspaceMemberItem> Members);
