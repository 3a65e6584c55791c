namespace WebIde.FileSystem.Storage;

/// <summary>A whole-file write; <see cref="UserId"/> is who made it (<see cref="Guid.Empty"/>: the platform).</summary>
public sealed record FileWrite(Guid WorkspaceId, string Path, ReadOnlyMemory<byte> Content, WriteCondition Condition, Guid UserId)
{
    /// <summary>A store writes a batch of one workspace only: one of another is the caller's mistake.</summary>
    public static void ThrowIfNotAllOf(Guid workspaceId, IReadOnlyList<FileWrite> writes)
    {
        if (writes.FirstOrDefault(write => write.WorkspaceId != workspaceId) is { } stray)
        {
            throw new ArgumentException($"A write of workspace {stray.WorkspaceId} is in a batch of workspace {workspaceId}.", nameof(writes));
        }
    }
}
