using System.Globalization;
using Aspire.Hosting;

namespace WebIde.IntegrationTests;

/// <summary>What the operating system and the orchestrator say about the platform's processes, for tests that kill one.</summary>
public static class ProcessTable
{
    /// <summary>The pid the orchestrator reports for a resource (for a project: its <c>dotnet run</c> wrapper).</summary>
    public static int? ReportedPid(string resourceId) =>
        Platform.App.ResourceNotifications.TryGetCurrentState(resourceId, out var current)
        && current.Snapshot.Properties.FirstOrDefault(property => property.Name == "executable.pid")?.Value is { } value
        && int.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : null;

    /// <summary>The parent's pid, or 0 when the process is gone.</summary>
    public static int ParentOf(int pid)
    {
        try
        {
            // The command name (2nd field) is in parentheses and may hold spaces: read after it.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
