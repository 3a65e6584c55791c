using System.ComponentModel.DataAnnotations;

namespace WebIde.Execution.Runs;

/// <summary>The limits of docs/api.md §5 and the fairness rules; defaults are the documented ones.</summary>
public sealed class RunsOptions
{
    public const string Section = "Execution:Runs";

    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan MaxTimeout { get; set; } = TimeSpan.FromSeconds(60);

    [Range(16, 1 << 20)]
    public int DefaultMemoryMb { get; set; } = 256;

    [Range(16, 1 << 20)]
    public int MaxMemoryMb { get; set; } = 1024;

    /// <summary>Below this the interpreters themselves do not start.</summary>
    [Range(16, 1 << 20)]
    public int MinMemoryMb { get; set; } = 32;

    public long DefaultMaxOutputBytes { get; set; } = 1L << 20;
    public long MaxMaxOutputBytes { get; set; } = 8L << 20;

    /// <summary>A compile step's own time limit; it is not part of the run's wall time.</summary>
    public TimeSpan CompileTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Compiler output kept for a compile error.</summary>
    public long CompileOutputBytes { get; set; } = 64 * 1024;

    /// <summary>Runs of one user (or service) at the same time, on this instance.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentPerUser { get; set; } = 4;

    /// <summary>Runs of one workspace at the same time, on this instance.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentPerWorkspace { get; set; } = 4;

    /// <summary>Runs waiting for a slot, per user; one more is refused at once.</summary>
    [Range(0, 4096)]
    public int MaxQueuedPerUser { get; set; } = 32;

    /// <summary>How long a run waits for a slot before it is refused with 429 / RESOURCE_EXHAUSTED.</summary>
    public TimeSpan MaxQueueWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Sandboxes running at once on this instance, whoever they are for.</summary>
    [Range(1, 4096)]
    public int MaxConcurrentRuns { get; set; } = 16;
}
