using System.Diagnostics.Metrics;

namespace WebIde.Execution.Sandbox;

/// <summary>What operators watch on the dashboard: pool sizes, how long runs wait for a sandbox, how long containers take to start.</summary>
public sealed class SandboxMetrics : IDisposable
{
    public const string MeterName = "WebIde.Execution";

    private readonly Meter _meter;
    private readonly Histogram<double> _containerStart;
    private readonly Histogram<double> _sandboxWait;
    private readonly Counter<long> _runs;
    private readonly Histogram<double> _runDuration;
    private readonly Counter<long> _retired;

    public SandboxMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _containerStart = _meter.CreateHistogram<double>("webide.sandbox.start.duration", "ms", "Create, attach and start of one sandbox container (a pool refill or a cold start).");
        _sandboxWait = _meter.CreateHistogram<double>("webide.sandbox.wait.duration", "ms", "How long a run waited for its sandbox; source=own is one of the user's containers reused, warm a pool hit, cold a container started for the run.");
        _retired = _meter.CreateCounter<long>("webide.sandbox.retired", "{container}", "Users' containers removed rather than kept for their next run, by reason (a limit hit, idle, age, runs served, …).");
        _runs = _meter.CreateCounter<long>("webide.runs", "{run}", "Finished runs by language and status.");
        _runDuration = _meter.CreateHistogram<double>("webide.run.duration", "ms", "Wall time of finished runs, compile included.");
    }

    public Meter Meter => _meter;

    public void ContainerStarted(TimeSpan elapsed) => _containerStart.Record(elapsed.TotalMilliseconds);

    /// <summary>A run got its container: <paramref name="source"/> is "own" (one of the user's, reused), "warm" (from the pool) or "cold" (started for it).</summary>
    public void SandboxTaken(string language, string source, TimeSpan waited) =>
        _sandboxWait.Record(waited.TotalMilliseconds, new("language", language), new("source", source));

    /// <summary>A user's container removed instead of kept for their next run, and why.</summary>
    public void SandboxRetired(string reason) => _retired.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void RunFinished(string language, string status, TimeSpan elapsed)
    {
        _runs.Add(1, new("language", language), new("status", status));
        _runDuration.Record(elapsed.TotalMilliseconds, new("language", language), new("status", status));
    }

    public void Dispose() => _meter.Dispose();
}
