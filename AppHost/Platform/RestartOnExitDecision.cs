namespace WebIde.AppHost.Platform;

/// <summary>
/// Tells, from the orchestrator's stream of resource states, which exits were unexpected: a
/// resource marked <see cref="RestartOnExitAnnotation"/> whose process went from Running straight to
/// an end state (Finished for a process, Exited for a container), e.g. after <c>kill -9</c> or a crash.
/// </summary>
/// <remarks>
/// An operator's Stop (the dashboard's command, or <c>resource-stop</c>/<c>resource-restart</c> from a
/// test) first moves the resource to Stopping, and only then to its end state: that exit is
/// intended and is left alone. A process that dies by itself is never seen Stopping. FailedToStart
/// and the orchestrator's own Terminated are not exits of a running process either.
/// </remarks>
public sealed class RestartOnExitDecision
{
    private readonly Dictionary<string, string?> _lastState = new(StringComparer.Ordinal);

    /// <summary>
    /// Records the resource's new state, and says whether it is an unexpected exit to start again
    /// from. Never while the platform shuts down: then everything stops on purpose.
    /// </summary>
    public bool ShouldRestart(ResourceEvent resourceEvent, bool shuttingDown)
    {
        var state = resourceEvent.Snapshot.State?.Text;
        _lastState.TryGetValue(resourceEvent.ResourceId, out var previous);
        _lastState[resourceEvent.ResourceId] = state;

        return !shuttingDown
            && resourceEvent.Resource.Annotations.OfType<RestartOnExitAnnotation>().Any()
            && previous == KnownResourceStates.Running
            && IsExit(state);
    }

    /// <summary>The end states of a process or container that ran.</summary>
    public static bool IsExit(string? state) =>
        state == KnownResourceStates.Finished || state == KnownResourceStates.Exited;
}
