namespace WebIde.FileSystem.Storage;

/// <summary>
/// A file's content as stored. <see cref="Sequence"/> is the workspace change that produced
/// this content: caches order what they hold by it.
/// </summary>
public sealed record StoredFile(string Path, byte[] Content, long Version, DateTimeOffset ModifiedAt, long Sequence);
