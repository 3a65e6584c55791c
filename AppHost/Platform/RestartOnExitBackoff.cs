namespace WebIde.AppHost.Platform;

/// <summary>
/// How long to wait before starting a resource again after its process exited: 1 s, doubled on
/// each exit that follows a short run, at most 30 s, and back to 1 s once it stayed up a minute.
/// Kubernetes' crash-loop backoff has the same shape (10 s to 5 min, reset after 10 min); locally
/// a dead Redis or service costs every user, so the steps are shorter.
/// </summary>
public sealed class RestartOnExitBackoff(TimeProvider time)
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(30);

    /// <summary>A run at least this long counts as healthy: the next exit waits <see cref="First"/> again.</summary>
    public static readonly TimeSpan HealthyRun = TimeSpan.FromMinutes(1);

    private TimeSpan? _last;
    private DateTimeOffset? _runningSince;

    /// <summary>
    /// The resource's process is running (again). Said at every update of a running resource (its
    /// health, its URLs): only the first after a start counts, or a long run would look short.
    /// </summary>
    public void Running() => _runningSince ??= time.GetUtcNow();

    /// <summary>The resource's process exited: how long to wait before starting it again.</summary>
    public TimeSpan Exited()
    {
        var ranLongEnough = _runningSince is { } since && time.GetUtcNow() - since >= HealthyRun;
        _runningSince = null;
        _last = _last is { } last && !ranLongEnough
            ? TimeSpan.FromTicks(Math.Min(last.Ticks * 2, Longest.Ticks))
            : First;
        return _last.Value;
    }
}
