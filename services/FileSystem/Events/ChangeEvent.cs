namespace WebIde.FileSystem.Events;

/// <summary>One server-sent event of the change stream; null members are left out of its JSON.</summary>
public sealed record ChangeEvent(
    string Type,
    string Path,
    string? From,
    string EntryType,
    long? Version,
    long? Size,
    Guid UserId,
    long Sequence,
    DateTimeOffset At);
