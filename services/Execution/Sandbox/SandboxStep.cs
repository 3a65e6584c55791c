namespace WebIde.Execution.Sandbox;

/// <summary>
/// One process tree a sandbox runs, with its own limits: a compile step (output captured, returned on
/// failure) or the run step (output streamed). A failed step ends the request.
/// </summary>
/// <param name="ReadOnlyProject">The project's files are read-only to the step (a language server); its home, temporary files and caches are not.</param>
/// <remarks>Sent to the agent as its JSON (camelCase), which agent.py reads field by field.</remarks>
public sealed record SandboxStep(
    string Name,
    IReadOnlyList<string> Argv,
    IReadOnlyDictionary<string, string> Env,
    long TimeoutMs,
    long MaxOutputBytes,
    bool ForwardOutput,
    bool Stdin,
    bool ReadOnlyProject = false);
