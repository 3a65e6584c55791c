using System.Globalization;

namespace WebIde.Bench;

/// <summary>
/// CPU time of the processes a run passes through, read from /proc before and after a measurement:
/// the execution service, the gateway, the engine (dockerd, containerd and the containers' shims) and
/// each sandbox container's agent (its PID 1: its own time, and the time of the jails it reaped, which
/// is bwrap, the jail's init and the program).
/// </summary>
public sealed class ProcessCpu
{
    private static readonly double TicksPerMs = 100 / 1000.0;

    private ProcessCpu(Dictionary<string, double> milliseconds) => Milliseconds = milliseconds;

    /// <summary>CPU milliseconds by part: service, gateway, engine, agent, jails (children the agents reaped).</summary>
    public IReadOnlyDictionary<string, double> Milliseconds { get; }

    public static ProcessCpu Sample()
    {
        var parts = new Dictionary<string, double> { ["service"] = 0, ["gateway"] = 0, ["engine"] = 0, ["agent"] = 0, ["jails"] = 0 };
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out _))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // After the name: state is field 0, utime 11, stime 12, cutime 13, cstime 14.
                double Field(int index) => double.Parse(fields[index], CultureInfo.InvariantCulture) / TicksPerMs;
                var own = Field(11) + Field(12);
                var reaped = Field(13) + Field(14);
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains("WebIde.Execution", StringComparison.Ordinal))
                {
                    parts["service"] += own;
                }
                else if (commandLine.Contains("WebIde.Gateway", StringComparison.Ordinal))
                {
                    parts["gateway"] += own;
                }
                else if (name is "dockerd" or "containerd" || name.StartsWith("containerd-shim", StringComparison.Ordinal))
                {
                    parts["engine"] += own;
                }
                else if (commandLine.StartsWith("python3 -I -S -c", StringComparison.Ordinal) && IsContainerInit(directory))
                {
                    parts["agent"] += own;
                    parts["jails"] += reaped;
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or ArgumentException)
            {
                // The process ended while it was read.
            }
        }
        return new ProcessCpu(parts);
    }

    /// <summary>Milliseconds per operation by part between two samples.</summary>
    public static Dictionary<string, double> PerOperation(ProcessCpu before, ProcessCpu after, long operations) =>
        after.Milliseconds.ToDictionary(part => part.Key, part => (part.Value - before.Milliseconds.GetValueOrDefault(part.Key)) / Math.Max(1, operations));

    // A sandbox's agent is PID 1 of its container's PID namespace.
    private static bool IsContainerInit(string directory) =>
        File.ReadAllLines(Path.Combine(directory, "status")).FirstOrDefault(line => line.StartsWith("NSpid:", StringComparison.Ordinal)) is { } nspid
        && nspid.Split('\t', StringSplitOptions.RemoveEmptyEntries) is [_, _, "1"];
}
