namespace WebIde.Identity.Workspaces;

public sealed record WorkspaceMemberItem(Guid UserId, string Username, string Role);
