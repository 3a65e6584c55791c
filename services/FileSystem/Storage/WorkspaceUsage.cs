namespace WebIde.FileSystem.Storage;

/// <summary>What a workspace holds against its quota: bytes of file content, files and directories.</summary>
public sealed record WorkspaceUsage(long Bytes, int Entries);
