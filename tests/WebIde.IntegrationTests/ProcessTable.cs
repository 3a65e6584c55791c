using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using WebIde.Tests.Shared.Aspire;

namespace WebIde.IntegrationTests;

/// <summary>What the operating system and the orchestrator say about the platform's processes, for tests that kill one.</summary>
public static class ProcessTable
{
    /// <summary>The pid the orchestrator reports for a resource (its id or name).</summary>
    public static int? ReportedPid(string resource) =>
        Platform.App.ResourceNotifications.TryGetCurrentState(resource, out var current) ? ResourceProcess.PidOf(current.Snapshot) : null;

    /// <summary>The resource's process now, taken before restarting or killing it: a later process has another pid.</summary>
    public static ProcessMark Mark(string resource) =>
        new(resource, ReportedPid(resource) ?? throw new InvalidOperationException($"The orchestrator reports no pid for {resource}."), DateTime.UtcNow);

    /// <summary>
    /// The first snapshot of the resource (its id or name), the current one included, that meets
    /// <paramref name="condition"/>; at the token's deadline, an error that says what was awaited
    /// and what was seen last.
    /// </summary>
    public static async Task<CustomResourceSnapshot> WaitForAsync(string resource, string what, Func<CustomResourceSnapshot, bool> condition, CancellationToken cancellationToken)
    {
        var notifications = Platform.App.ResourceNotifications;
        CustomResourceSnapshot? last = null;
        if (notifications.TryGetCurrentState(resource, out var current))
        {
            last = current.Snapshot;
            if (condition(last))
            {
                return last;
            }
        }
        try
        {
            await foreach (var change in notifications.WatchAsync(cancellationToken))
            {
                if (change.ResourceId != resource && change.Resource.Name != resource)
                {
                    continue;
                }
                last = change.Snapshot;
                if (condition(last))
                {
                    return last;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Reported below, with what was seen.
        }
        var seen = last is null
            ? "nothing"
            : $"{last.State?.Text} {last.HealthStatus}, pid {ResourceProcess.PidOf(last)?.ToString(CultureInfo.InvariantCulture) ?? "none"}";
        throw new TimeoutException($"{resource}: still waiting for {what} at the deadline; last seen: {seen}.");
    }

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
