namespace WebIde.FileSystem.Apis;

public sealed record FileWritten(string Path, long Version, long Size);
