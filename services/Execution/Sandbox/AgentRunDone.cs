namespace WebIde.Execution.Sandbox;

/// <summary>
/// The agent's word after a run's last step, its files wiped: whether the container is back at the
/// baseline it recorded before its first run and hit no limit, so that it may serve the same user's
/// next run; if not, why (for logs and the retirement metric).
/// </summary>
/// <remarks>Read from the agent's JSON (camelCase), which agent.py writes in <c>serve_run</c>.</remarks>
public sealed record AgentRunDone(int Run, bool Reusable, IReadOnlyList<string> Reasons);
