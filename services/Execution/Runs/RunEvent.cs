namespace WebIde.Execution.Runs;

/// <summary>What a run reports, in order: started, output, exited.</summary>
public abstract record RunEvent;

public sealed record RunStarted(Guid RunId, string Language, string Version) : RunEvent;

public sealed record RunOutput(OutputStream Stream, ReadOnlyMemory<byte> Data) : RunEvent;

public sealed record RunExited(RunResult Result) : RunEvent;
