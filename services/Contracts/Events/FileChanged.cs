namespace WebIde.Contracts.Events;

/// <summary>
/// Published by filesystem when an entry is created or a file's content changes.
/// <see cref="EntryType"/> is <c>file</c> or <c>directory</c>; directories have no version or size.
/// <see cref="Sequence"/> orders every change of one workspace (also across event types).
/// </summary>
public sealed record FileChanged(
    Guid WorkspaceId,
    string Path,
    string EntryType,
    bool Created,
    long? Version,
    long? Size,
    Guid UserId,
    long Sequence,
    DateTimeOffset ChangedAt);
