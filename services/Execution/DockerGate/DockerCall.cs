namespace WebIde.Execution.DockerGate;

/// <summary>
/// A request the allowlist recognised: its kind, the container it names (a full id) and, for an
/// image inspection, the image as the engine will read it.
/// </summary>
public sealed record DockerCall(DockerCallKind Kind, string? ContainerId = null, string? Image = null);
