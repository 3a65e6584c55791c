using WebIde.ServiceDefaults.Authorization;

namespace WebIde.FileSystem.Access;

/// <summary>A caller let in to a workspace, with the role that let them in.</summary>
public sealed record WorkspaceGrant(Guid WorkspaceId, Guid UserId, WorkspaceRole Role);
