namespace WebIde.Contracts.Events;

/// <summary>
/// Published by filesystem when a file or a whole directory moves from <see cref="From"/> to
/// <see cref="To"/>. A moved file has a new <see cref="Version"/> at its new path.
/// </summary>
public sealed record FileMoved(
    Guid WorkspaceId,
    string From,
    string To,
    string EntryType,
    long? Version,
    Guid UserId,
    long Sequence,
    DateTimeOffset MovedAt);
