using WebIde.FileSystem.Files;
using WebIde.FileSystem.Storage;

namespace WebIde.FileSystem.Events;

/// <summary>
/// Which changes must reach the bus in log order. Collaboration's consumers compare a file's
/// versions, so changes of different files may arrive in any order, but a deletion or a move
/// and a write of the same path (or of a path inside a deleted or moved directory) mean
/// something else the other way round: a file deleted and created again would close the
/// editors of the new one. So a change waits only for the earlier changes it touches.
/// </summary>
public static class ChangeOrder
{
    /// <summary>
    /// Starts every change's <paramref name="publish"/> at once, except that a change waits
    /// for the earlier ones it touches; completes when all have, and fails if any failed (a
    /// change whose predecessor failed is not published).
    /// </summary>
    public static Task PublishAsync(IReadOnlyList<FileChange> changes, Func<FileChange, Task> publish)
    {
        var published = new List<(FileChange Change, Task Done)>(changes.Count);
        foreach (var change in changes)
        {
            var before = published.Where(earlier => Touches(earlier.Change, change)).Select(earlier => earlier.Done).ToList();
            published.Add((change, PublishAfterAsync(before, change, publish)));
        }
        return Task.WhenAll(published.Select(entry => entry.Done));
    }

    /// <summary>Whether the two changes are of one workspace and one path, or of a directory and a path inside it.</summary>
    public static bool Touches(FileChange first, FileChange second) =>
        first.WorkspaceId == second.WorkspaceId
        && Paths(first).Any(one => Paths(second).Any(other => one == other || WorkspacePath.IsInside(one, other) || WorkspacePath.IsInside(other, one)));

    private static IEnumerable<string> Paths(FileChange change) =>
        change.From is { } from ? [change.Path, from] : [change.Path];

    private static async Task PublishAfterAsync(List<Task> before, FileChange change, Func<FileChange, Task> publish)
    {
        if (before.Count > 0)
        {
            await Task.WhenAll(before);
        }
        await publish(change);
    }
}
