namespace WebIde.Execution.Apis;

/// <summary>A one-shot run's outcome; the run's own failures are statuses in here, with HTTP 200.</summary>
public sealed record RunResponse(
    Guid RunId,
    string Status,
    int ExitCode,
    string Stdout,
    string Stderr,
    long WallTimeMs,
    long CpuTimeMs,
    long PeakMemoryBytes,
    bool OutputTruncated);
