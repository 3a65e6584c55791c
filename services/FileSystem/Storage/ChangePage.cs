namespace WebIde.FileSystem.Storage;

/// <summary>
/// Changes after a sequence number, oldest first. <see cref="HistoryLost"/>: some changes
/// after that number were already trimmed from the log, so a reader must start over from
/// the tree instead of replaying.
/// </summary>
public sealed record ChangePage(IReadOnlyList<FileChange> Changes, bool HistoryLost, long LatestSequence);
