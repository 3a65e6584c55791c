namespace WebIde.FileSystem.Storage;

/// <summary>One file or directory of a workspace's tree; directories have no size, version or time.</summary>
public sealed record TreeEntry(string Path, EntryType Type, long? Size, long? Version, DateTimeOffset? ModifiedAt);
