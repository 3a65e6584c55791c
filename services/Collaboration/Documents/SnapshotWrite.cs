namespace WebIde.Collaboration.Documents;

/// <summary>A document's text to write to its file, if the file is still at <paramref name="ExpectedVersion"/>, for the user who typed last.</summary>
public sealed record SnapshotWrite(DocumentKey Key, string Text, long ExpectedVersion, Guid OnBehalfOf);
