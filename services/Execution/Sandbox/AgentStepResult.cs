namespace WebIde.Execution.Sandbox;

/// <summary>What the agent reports when a step's main process has ended and its tree is gone.</summary>
public sealed record AgentStepResult(
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
