namespace WebIde.IntegrationTests.Files;

/// <summary>The filesystem limits the test platform boots with.</summary>
public static class FileQuota
{
    public const long FileBytes = 5L * 1024 * 1024;
    public const long WorkspaceBytes = 12L * 1024 * 1024;
    public const int WorkspaceEntries = 400;
    /// <summary>Room for one workspace full and a bit: two workspaces of one owner reach it first.</summary>
    public const long AccountBytes = 20L * 1024 * 1024;
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(2);
}
