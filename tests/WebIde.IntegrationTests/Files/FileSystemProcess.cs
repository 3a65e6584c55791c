using System.Diagnostics;
using System.Globalization;
using System.Text;
using Aspire.Hosting.ApplicationModel;

namespace WebIde.IntegrationTests.Files;

/// <summary>
/// The test platform's filesystem process, as the operating system knows it. Another platform
/// (a developer's <c>./webide up</c>, another test run) runs the same program on the same
/// machine; only a process whose store lies under this run's data folder is ours.
/// </summary>
/// <remarks>
/// The orchestrator starts a project as <c>dotnet run --no-build</c>, and the pid it reports
/// (the snapshot's <c>executable.pid</c>) is that wrapper's. Killing the wrapper leaves the
/// service itself running, orphaned, still answering and still reported healthy: the
/// process to kill is the wrapper's child, the one that runs the service's own binary.
/// </remarks>
public static class FileSystemProcess
{
    private const string Resource = "filesystem";

    /// <summary>What the AppHost sets in the process's environment, unique to this platform's data folder.</summary>
    private static string StoreSetting => $"ConnectionStrings__store=Data Source={Path.Combine(Platform.DataDir, Resource, $"{Resource}.db")}";

    /// <summary>The pid of the process that serves: ours, and with no process of ours below it.</summary>
    public static int Find()
    {
        var ours = Directory.EnumerateDirectories("/proc")
            .Select(folder => int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && IsOurs(pid))
            .ToDictionary(pid => pid, ProcessTable.ParentOf);
        // With --scale, every instance shares the store: the orchestrator says which one is the resource's.
        var reported = ProcessTable.ReportedPid(Resource);
        var servers = ours.Keys
            .Where(pid => !ours.ContainsValue(pid))
            .Where(pid => reported is null || pid == reported || ours.GetValueOrDefault(pid) == reported)
            .ToList();
        if (servers.Count != 1)
        {
            throw new InvalidOperationException($"Expected one filesystem process of this platform started as '{Resource}' (pid {reported}), found {servers.Count} among {string.Join(", ", ours.Keys)}.");
        }
        return servers[0];
    }

    /// <summary>True for a live WebIde.FileSystem process started with this platform's store.</summary>
    public static bool IsOurs(int pid)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
            if (!commandLine.Contains("WebIde.FileSystem", StringComparison.Ordinal))
            {
                return false;
            }
            var environment = Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{pid}/environ")).Split('\0');
            return environment.Contains(StoreSetting, StringComparer.Ordinal);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Gone meanwhile, or not ours to read.
            return false;
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, nothing the service could do to save itself.</summary>
    public static async Task KillAsync(int pid)
    {
        if (!IsOurs(pid))
        {
            throw new InvalidOperationException($"Process {pid} is not this platform's filesystem; not killing it.");
        }
        using (var process = Process.GetProcessById(pid))
        {
            // Process.Kill is SIGKILL on Unix.
            process.Kill(entireProcessTree: false);
        }

        // The orchestrator's wrapper, not this test, is the parent: polling /proc is how to see
        // it go (a dead process not yet reaped has an empty command line, so it is not "ours").
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (IsOurs(pid))
        {
            await Task.Delay(10, deadline.Token);
        }
    }

    /// <summary>The last state the orchestrator reported for the resource.</summary>
    public static CustomResourceSnapshot? Snapshot() =>
        Platform.App.ResourceNotifications.TryGetCurrentState(Resource, out var current) ? current.Snapshot : null;
}
