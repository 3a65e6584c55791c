namespace WebIde.Execution.Sandbox;

/// <summary>The limits a container is created with; warm pools hold containers of the default shape.</summary>
public sealed record SandboxShape(long MemoryBytes)
{
    /// <summary>
    /// The scratch tmpfs counts against the memory limit: a quarter of it at most, so a full
    /// scratch disk still leaves the program room to run.
    /// </summary>
    public long ScratchBytes(long configured) => Math.Min(configured, MemoryBytes / 4);
}
