using System.ComponentModel.DataAnnotations;

namespace WebIde.FileSystem.Files;

/// <summary>How big a file, a workspace and an account may grow (<c>FileSystem:Limits</c>); the defaults of docs/api.md §3.</summary>
public sealed class FileLimits
{
    public const string Section = "FileSystem:Limits";

    [Range(1, 64L * 1024 * 1024)]
    public long MaxFileBytes { get; set; } = 5L * 1024 * 1024;

    [Range(1, long.MaxValue)]
    public long MaxWorkspaceBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Files and directories together.</summary>
    [Range(1, int.MaxValue)]
    public int MaxWorkspaceEntries { get; set; } = 10_000;

    /// <summary>
    /// File content of every workspace one account pays for, together (<see cref="Storage.AccountQuota"/>):
    /// without it the workspace quota times the number of workspaces a user may own is what one account can store.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long MaxAccountBytes { get; set; } = 1024L * 1024 * 1024;
}
