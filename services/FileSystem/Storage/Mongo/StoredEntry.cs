namespace WebIde.FileSystem.Storage.Mongo;

/// <summary>An entry as a mutation reads it before deciding: no content, and no time.</summary>
internal sealed record StoredEntry(string Path, EntryType Type, long? Size, long? Version);
