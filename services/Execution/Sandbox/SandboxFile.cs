namespace WebIde.Execution.Sandbox;

/// <summary>A file written into the sandbox before its first step: a path relative to the scratch directory, and its bytes.</summary>
public sealed record SandboxFile(string Path, ReadOnlyMemory<byte> Content);
