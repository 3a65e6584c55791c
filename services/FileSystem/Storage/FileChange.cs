namespace WebIde.FileSystem.Storage;

/// <summary>
/// One entry of a workspace's change log, written in the same transaction as the change it
/// records. <see cref="Sequence"/> counts a workspace's changes from 1 without gaps; the log
/// is both what the event stream replays and the outbox the bus publisher drains.
/// A directory moved or deleted is one change for the whole directory.
/// </summary>
public sealed record FileChange(
    Guid WorkspaceId,
    long Sequence,
    ChangeType Type,
    EntryType EntryType,
    string Path,
    string? From,
    long? Version,
    long? Size,
    Guid UserId,
    DateTimeOffset At);
