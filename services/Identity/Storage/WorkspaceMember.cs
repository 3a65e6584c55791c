namespace WebIde.Identity.Storage;

public sealed record WorkspaceMember(Guid WorkspaceId, Guid UserId, string Username, WorkspaceRole Role);
