namespace WebIde.Execution.Runs;

public sealed record RunLimits(TimeSpan Timeout, long MemoryBytes, long MaxOutputBytes);
