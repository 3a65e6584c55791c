namespace WebIde.Execution.Runs;

/// <summary>A run as any of the three APIs asks for it, before validation. Zero or null limits mean the defaults.</summary>
public sealed record RunSubmission(
    string? Language,
    IReadOnlyList<SourceFile>? Files,
    Guid? WorkspaceId,
    string? Entry,
    ReadOnlyMemory<byte> Stdin,
    IReadOnlyList<string> Args,
    long? TimeoutMs,
    long? MemoryMb,
    long? MaxOutputBytes);
