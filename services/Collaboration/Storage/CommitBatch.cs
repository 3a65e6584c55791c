using WebIde.Collaboration.Documents;

namespace WebIde.Collaboration.Storage;

/// <summary>One document's operations for one commit round, under the epoch that owns it.</summary>
public sealed record CommitBatch(DocumentKey Key, long Epoch, long FirstRevision, IReadOnlyList<LogEntry> Entries);
