namespace WebIde.FileSystem.Storage;

/// <summary>A whole-file write; <see cref="UserId"/> is who made it (<see cref="Guid.Empty"/>: the platform).</summary>
public sealed record FileWrite(Guid WorkspaceId, string Path, ReadOnlyMemory<byte> Content, WriteCondition Condition, Guid UserId);
