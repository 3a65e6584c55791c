namespace WebIde.FileSystem.Storage;

/// <summary>
/// What must hold for a write to go ahead: nothing, the file must not exist
/// (<c>If-None-Match: *</c>), it must exist (<c>If-Match: *</c>) or it must be at a version
/// (<c>If-Match: "N"</c>).
/// </summary>
public sealed record WriteCondition(long? Version, bool MustExist, bool MustNotExist)
{
    public static readonly WriteCondition None = new(null, false, false);
    public static readonly WriteCondition CreateOnly = new(null, false, true);
    public static readonly WriteCondition Exists = new(null, true, false);

    public static WriteCondition AtVersion(long version) => new(version, true, false);

    /// <summary>Whether a file currently at <paramref name="currentVersion"/> (null: no file) satisfies this.</summary>
    public bool IsMetBy(long? currentVersion) =>
        currentVersion is { } current
            ? !MustNotExist && (Version is null || Version == current)
            : !MustExist;
}
