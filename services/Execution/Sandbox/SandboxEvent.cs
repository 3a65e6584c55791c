namespace WebIde.Execution.Sandbox;

/// <summary>What a sandbox reports while it works through a request, in order.</summary>
public abstract record SandboxEvent;

/// <summary>Output of a step that forwards it, as the program wrote it.</summary>
public sealed record SandboxOutput(bool Stderr, ReadOnlyMemory<byte> Data) : SandboxEvent;

/// <summary>A step has ended; a failed one ends the request.</summary>
public sealed record SandboxStepExited(SandboxStepResult Result) : SandboxEvent;

/// <summary>The sandbox could not carry out the request; the error is for logs, never for users.</summary>
public sealed record SandboxFailed(string Error) : SandboxEvent;
