namespace WebIde.Execution.Sandbox;

/// <summary>
/// One process tree the agent runs: a compile step (output captured, returned on failure) or
/// the run step (output streamed). A failed step ends the request.
/// </summary>
public sealed record AgentStep(
    string Name,
    IReadOnlyList<string> Argv,
    IReadOnlyDictionary<string, string> Env,
    long TimeoutMs,
    long MaxOutputBytes,
    bool ForwardOutput,
    bool Stdin);
