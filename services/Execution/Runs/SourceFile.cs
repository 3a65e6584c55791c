namespace WebIde.Execution.Runs;

/// <summary>A project file as the sandbox receives it: a relative '/'-separated path and its bytes.</summary>
public sealed record SourceFile(string Path, ReadOnlyMemory<byte> Content);
