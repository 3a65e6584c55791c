namespace WebIde.Execution.Sandbox;

internal sealed record AgentRequest(IReadOnlyList<SandboxStep> Steps, IReadOnlyList<string> Directories);
