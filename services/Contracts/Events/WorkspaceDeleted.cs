namespace WebIde.Contracts.Events;

/// <summary>
/// Published by identity when an owner deletes a workspace; every service drops what it
/// holds of it (files, collaborative state, running programs).
/// </summary>
public sealed record WorkspaceDeleted(Guid WorkspaceId, Guid DeletedBy, DateTimeOffset DeletedAt);
