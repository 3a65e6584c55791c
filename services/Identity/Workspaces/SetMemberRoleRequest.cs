namespace WebIde.Identity.Workspaces;

/// <summary><see cref="Role"/> is one of <c>owner</c>, <c>editor</c>, <c>viewer</c>.</summary>
public sealed record SetMemberRoleRequest(string? Role);
