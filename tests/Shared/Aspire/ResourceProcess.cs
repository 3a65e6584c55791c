using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WebIde.Tests.Shared.Aspire;

/// <summary>
/// Which operating-system process an orchestrator snapshot describes, to tell a restarted
/// service from the one before it.
/// </summary>
/// <remarks>
/// A new process is one with another pid. Its start time cannot tell: the orchestrator reports
/// start times in whole seconds, so a process started in the same second as the test's clock
/// reading before the restart looks no later than that reading, and a wait for "started after
/// the restart" never ends.
/// </remarks>
public static class ResourceProcess
{
    /// <summary>The snapshot property with the pid of the process the orchestrator started.</summary>
    public const string PidProperty = "executable.pid";

    public static int? PidOf(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(property => property.Name == PidProperty)?.Value is { } value
        && int.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : null;

    /// <summary>True when the snapshot is of a process started after <paramref name="before"/> was taken.</summary>
    public static bool IsNewSince(CustomResourceSnapshot snapshot, ProcessMark before) =>
        PidOf(snapshot) is { } pid && pid != before.Pid;

    /// <summary>True when the snapshot is of a new process that is running and healthy.</summary>
    public static bool IsNewAndServingSince(CustomResourceSnapshot snapshot, ProcessMark before) =>
        IsNewSince(snapshot, before)
        && snapshot.State?.Text == KnownResourceStates.Running
        && snapshot.HealthStatus == HealthStatus.Healthy;

    /// <summary>
    /// True when the orchestrator reports the process finished. The platform's AppHost starts a finished service
    /// again by itself after about a second (WebIde:RestartOnExit), so a caller also accepts a new process.
    /// </summary>
    public static bool HasEnded(CustomResourceSnapshot snapshot) =>
        KnownResourceStates.TerminalStates.Contains(snapshot.State?.Text);
}
