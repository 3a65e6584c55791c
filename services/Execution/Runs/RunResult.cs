namespace WebIde.Execution.Runs;

/// <summary>How a run ended. Times and memory are the run step's; a compile step is not counted.</summary>
public sealed record RunResult(RunStatus Status, int ExitCode, long WallTimeMs, long CpuTimeMs, long PeakMemoryBytes, bool OutputTruncated);
