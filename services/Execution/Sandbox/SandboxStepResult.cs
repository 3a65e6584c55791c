namespace WebIde.Execution.Sandbox;

/// <summary>How a step ended, reported once its main process has ended and its tree is gone.</summary>
/// <remarks>Read from the agent's JSON (camelCase), which agent.py writes field by field.</remarks>
public sealed record SandboxStepResult(
    string Step,
    int ExitCode,
    long WallMs,
    long CpuMs,
    long PeakMemoryBytes,
    bool TimedOut,
    bool OutputLimited,
    bool OomKilled,
    bool Killed,
    string? Output);
