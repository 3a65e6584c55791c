namespace WebIde.Execution.Sandbox;

/// <summary>
/// The limits a container is created with. A container serves runs of its shape only, so a
/// run's memory limit is its container's, exact (the machine's cgroup v1 leaves no room for a
/// limit per run inside a larger one).
/// </summary>
/// <param name="Cpus">Its CPU limit, or null for <see cref="SandboxOptions.Cpus"/> (every run's).</param>
public sealed record SandboxShape(long MemoryBytes, double? Cpus = null)
{
    /// <summary>
    /// The scratch tmpfs counts against the memory limit: a quarter of it at most, so a full
    /// scratch disk still leaves the program room to run.
    /// </summary>
    public long ScratchBytes(long configured) => Math.Min(configured, MemoryBytes / 4);

    /// <summary>
    /// Files and directories the scratch disk holds: one per 4 KiB of it (16,384 in the default 64 MiB),
    /// so that creating empty files ends in "No space left on device" like filling it does, instead of
    /// costing kernel memory without bound.
    /// </summary>
    public long ScratchInodes(long configured) => ScratchBytes(configured) / 4096;
}
