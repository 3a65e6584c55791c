namespace WebIde.Execution.Sandbox;

/// <summary>What a language server's sandbox is started with.</summary>
/// <param name="Tenant">The user whose server it is: the container is theirs alone.</param>
/// <param name="Server">The server's step: its command, environment, read-only project, stdin kept open.</param>
/// <param name="Cpus">Its container's CPU limit: a server's start is CPU-bound and a person waits on it.</param>
/// <param name="MaxLifetime">How long the container may exist at most (its expiry label: the sweeper removes it after that).</param>
public sealed record LanguageServerRequest(
    string Tenant,
    Guid WorkspaceId,
    string Language,
    long MemoryBytes,
    double Cpus,
    TimeSpan MaxLifetime,
    IReadOnlyList<SandboxFile> Files,
    IReadOnlyList<string> Directories,
    SandboxStep Server);
