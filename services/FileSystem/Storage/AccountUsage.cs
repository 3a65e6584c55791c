namespace WebIde.FileSystem.Storage;

/// <summary>What the workspaces an account pays for hold together against its quota: bytes of file content.</summary>
public sealed record AccountUsage(long Bytes, int Workspaces);
