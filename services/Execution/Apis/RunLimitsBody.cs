namespace WebIde.Execution.Apis;

public sealed record RunLimitsBody(long? TimeoutMs, long? MemoryMb, long? MaxOutputBytes);
