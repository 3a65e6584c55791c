namespace WebIde.FileSystem.Storage;

/// <summary>An owner of a workspace, as identity announced it, and since when (<see cref="AccountQuota"/>).</summary>
public sealed record WorkspaceOwner(Guid WorkspaceId, Guid UserId, DateTimeOffset Since);
