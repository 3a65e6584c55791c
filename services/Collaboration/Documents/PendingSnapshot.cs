namespace WebIde.Collaboration.Documents;

/// <summary>
/// A snapshot begun by <see cref="OpenDocument.BeginSnapshot"/>: what to write (nothing when only
/// the history's trim is due) and what the write stands for; the document's persistence is held
/// until <see cref="OpenDocument.EndSnapshotAsync"/>.
/// </summary>
public sealed record PendingSnapshot(OpenDocument Document, bool Now, SnapshotWrite? Write, long Revision, long? DirtySince);
