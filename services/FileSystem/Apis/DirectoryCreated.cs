namespace WebIde.FileSystem.Apis;

public sealed record DirectoryCreated(string Path, string Type);
