namespace WebIde.IntegrationTests.Files;

/// <summary>The filesystem limits the test platform boots with.</summary>
public static class FileQuota
{
    public const long FileBytes = 5L * 1024 * 1024;
    public const long WorkspaceBytes = 12L * 1024 * 1024;
    public const int WorkspaceEntries = 400;
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(2);
}
