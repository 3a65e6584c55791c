namespace WebIde.Collaboration.Storage;

/// <summary>A document's state as its new owner found it, with the epoch that owner appends under.</summary>
public sealed record ClaimedDocument(long Epoch, StoredDocument Stored);
