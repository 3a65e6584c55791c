namespace WebIde.Contracts.Events;

/// <summary>Published by identity once a workspace exists and its creator owns it.</summary>
public sealed record WorkspaceCreated(Guid WorkspaceId, string Name, Guid OwnerId, DateTimeOffset CreatedAt);
