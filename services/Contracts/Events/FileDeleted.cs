namespace WebIde.Contracts.Events;

/// <summary>
/// Published by filesystem when a file, or a directory with everything under it, is deleted.
/// One event stands for the whole directory.
/// </summary>
public sealed record FileDeleted(
    Guid WorkspaceId,
    string Path,
    string EntryType,
    Guid UserId,
    long Sequence,
    DateTimeOffset DeletedAt);
