namespace WebIde.Contracts.Events;

/// <summary>
/// Published by identity when a member is added, changes role or is removed
/// (<see cref="Role"/> is null then); caches of roles are invalidated on it.
/// </summary>
public sealed record MembershipChanged(Guid WorkspaceId, Guid UserId, string? Role, DateTimeOffset ChangedAt);
