using System.Diagnostics;
using System.Globalization;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using WebIde.Tests.Shared.Aspire;

namespace WebIde.IntegrationTests.Collaboration;

/// <summary>
/// The test platform's collaboration instances (Aspire replicas) as the operating system
/// knows them, to kill one outright and bring it back.
/// </summary>
/// <remarks>
/// Another platform (a developer's <c>./webide up</c>, another test run) runs the same program
/// on this machine: only processes whose environment names this run's data folder are ours.
/// The orchestrator starts a project as <c>dotnet run --no-build</c> and reports that
/// wrapper's pid; the process that serves is the wrapper's child running the service's binary.
/// </remarks>
public static class CollaborationReplicas
{
    private const string Program = "WebIde.Collaboration";

    /// <summary>Every replica with the pid of its serving process, each found once and cross-checked with the orchestrator.</summary>
    public static IReadOnlyList<CollaborationReplica> Find()
    {
        var ours = Directory.EnumerateDirectories("/proc")
            .Select(folder => int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && IsOurs(pid))
            .ToDictionary(pid => pid, ProcessTable.ParentOf);
        var servers = ours.Keys.Where(pid => !ours.ContainsValue(pid)).ToList();

        var replicas = new List<CollaborationReplica>();
        foreach (var server in servers)
        {
            // The orchestrator names each replica in the process's OpenTelemetry attributes;
            // the pid it reports for that name must be this process or its parent.
            var resourceId = ResourceIdOf(server);
            var reported = ProcessTable.ReportedPid(resourceId)
                ?? throw new InvalidOperationException($"The orchestrator reports no pid for {resourceId}.");
            if (server != reported && ours[server] != reported)
            {
                throw new InvalidOperationException($"Process {server} says it is {resourceId}, whose process is {reported} (neither it nor its parent {ours[server]}).");
            }
            replicas.Add(new CollaborationReplica(resourceId, server));
        }
        return replicas;
    }

    /// <summary>
    /// How many TCP connections the replica's process has established: the gateway sends every
    /// socket of a workspace to one instance, so the replica serving the most editors has the most.
    /// </summary>
    public static int EstablishedConnections(CollaborationReplica replica)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var descriptor in Directory.EnumerateFiles($"/proc/{replica.ServerPid}/fd"))
        {
            try
            {
                var target = new FileInfo(descriptor).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    inodes.Add(target["socket:[".Length..^1]);
                }
            }
            catch (IOException)
            {
                // Closed meanwhile.
            }
        }
        // /proc/net/tcp{,6}: "sl local remote st ... inode"; state 01 is ESTABLISHED.
        return new[] { "/proc/net/tcp", "/proc/net/tcp6" }
            .Where(File.Exists)
            .SelectMany(table => File.ReadLines(table).Skip(1))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Count(columns => columns.Length > 9 && columns[3] == "01" && inodes.Contains(columns[9]));
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, no goodbye to the connected clients.</summary>
    public static async Task KillAsync(CollaborationReplica replica, CancellationToken cancellationToken)
    {
        if (!IsOurs(replica.ServerPid))
        {
            throw new InvalidOperationException($"Process {replica.ServerPid} is not this platform's collaboration service; not killing it.");
        }
        using (var process = Process.GetProcessById(replica.ServerPid))
        {
            // Process.Kill is SIGKILL on Unix.
            process.Kill(entireProcessTree: false);
        }

        // The orchestrator's wrapper, not this test, is the parent and reaps it: a dead process
        // not yet reaped has an empty command line, so it stops being "ours" at once.
        while (IsOurs(replica.ServerPid))
        {
            await Task.Delay(10, cancellationToken);
        }
    }

    /// <summary>
    /// Waits for the killed replica to run again: the AppHost starts it by itself after about a
    /// second (WebIde:RestartOnExit); should it have only ended, it is started with its start
    /// command. Then waits until it is running and healthy. <paramref name="killed"/> is the
    /// replica's process as marked before the kill (<see cref="ProcessTable.Mark"/>).
    /// </summary>
    public static async Task BringBackAsync(CollaborationReplica replica, ProcessMark killed, CancellationToken cancellationToken)
    {
        var stopped = await ProcessTable.WaitForAsync(
            replica.ResourceId,
            $"the end of {killed}, or a new process",
            snapshot => ResourceProcess.IsNewSince(snapshot, killed) || ResourceProcess.HasEnded(snapshot),
            cancellationToken);
        if (!ResourceProcess.IsNewSince(stopped, killed))
        {
            var commands = Platform.App.Services.GetRequiredService<ResourceCommandService>();
            var started = await commands.ExecuteCommandAsync(replica.ResourceId, KnownResourceCommands.StartCommand, cancellationToken);
            if (!started.Success)
            {
                throw new InvalidOperationException($"Starting {replica.ResourceId} again failed: {started.Message}");
            }
        }
        await ProcessTable.WaitForAsync(
            replica.ResourceId,
            $"a new process after {killed}, running and healthy",
            snapshot => ResourceProcess.IsNewAndServingSince(snapshot, killed),
            cancellationToken);
    }

    /// <summary>
    /// The orchestrator's id of the replica a process runs: its OpenTelemetry service name and
    /// instance id (the id's unique suffix), as the orchestrator set them in its environment.
    /// </summary>
    private static string ResourceIdOf(int pid)
    {
        var environment = EnvironmentOf(pid);
        var serviceName = environment.FirstOrDefault(variable => variable.StartsWith("OTEL_SERVICE_NAME=", StringComparison.Ordinal))?["OTEL_SERVICE_NAME=".Length..];
        var instanceId = environment
            .Where(variable => variable.StartsWith("OTEL_RESOURCE_ATTRIBUTES=", StringComparison.Ordinal))
            .SelectMany(variable => variable["OTEL_RESOURCE_ATTRIBUTES=".Length..].Split(','))
            .Where(attribute => attribute.StartsWith("service.instance.id=", StringComparison.Ordinal))
            .Select(attribute => attribute["service.instance.id=".Length..])
            .FirstOrDefault();
        if (serviceName is null || instanceId is null)
        {
            throw new InvalidOperationException($"Process {pid} carries no OpenTelemetry service name and instance id.");
        }
        return $"{serviceName}-{instanceId}";
    }

    private static string[] EnvironmentOf(int pid) => Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{pid}/environ")).Split('\0');

    /// <summary>True for a live WebIde.Collaboration process started for this platform (its environment names the run's data folder).</summary>
    private static bool IsOurs(int pid)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
            if (!commandLine.Contains(Program, StringComparison.Ordinal))
            {
                return false;
            }
            return EnvironmentOf(pid).Any(variable => variable.Contains(Platform.DataDir, StringComparison.Ordinal));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Gone meanwhile, or not ours to read.
            return false;
        }
    }
}
