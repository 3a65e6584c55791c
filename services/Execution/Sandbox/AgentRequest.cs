namespace WebIde.Execution.Sandbox;

public sealed record AgentRequest(IReadOnlyList<AgentStep> Steps, IReadOnlyList<string> Directories);
