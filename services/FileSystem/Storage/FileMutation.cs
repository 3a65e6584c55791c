namespace WebIde.FileSystem.Storage;

/// <summary>
/// What a change did. <see cref="StaleFiles"/> are the file paths whose earlier content is
/// no longer true (moved away, deleted, replaced); <see cref="Detail"/> says why a refused
/// change was refused, in words for the caller.
/// </summary>
public sealed record FileMutation(
    MutationStatus Status,
    IReadOnlyList<FileChange> Changes,
    IReadOnlyList<string> StaleFiles,
    string? Detail = null)
{
    public static FileMutation Refused(MutationStatus status, string detail) => new(status, [], [], detail);

    public static readonly FileMutation Unchanged = new(MutationStatus.Done, [], []);

    /// <summary>The change this operation is about (the last one logged), if it changed anything.</summary>
    public FileChange? Change => Changes.Count > 0 ? Changes[^1] : null;
}
