namespace WebIde.FileSystem.Storage.Mongo;

/// <summary>
/// A workspace held by one mutation (<see cref="Owner"/>), with its counters as they stood when
/// it was taken: nobody else changes them until it is released. A <see cref="Deleted"/>
/// workspace takes no more changes.
/// </summary>
internal sealed record WorkspaceLease(
    Guid WorkspaceId,
    string Owner,
    long LastSequence,
    long Bytes,
    long Entries,
    DateTimeOffset? LastChangeAt,
    bool Deleted);
