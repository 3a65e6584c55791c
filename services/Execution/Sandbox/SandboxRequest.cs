namespace WebIde.Execution.Sandbox;

/// <summary>Everything one sandbox does, given at once: its files, the steps to run in order and their first stdin.</summary>
/// <param name="RunId">The run the sandbox serves, on its container's label.</param>
/// <param name="Tenant">The user (or service) whose run it is: only their runs share a container.</param>
/// <param name="WorkspaceId">The workspace whose files it runs, on its container's label so a workspace's deletion finds it.</param>
/// <param name="Language">The runtime it needs; a warm one is taken when the pool has it.</param>
/// <param name="MemoryBytes">The container's memory limit, which its scratch disk counts against.</param>
/// <param name="Directories">Created under the scratch directory before the first step.</param>
/// <param name="CloseStdin">Whether <paramref name="Stdin"/> is all the input there is (a batch run), or more may follow.</param>
public sealed record SandboxRequest(
    Guid RunId,
    string Tenant,
    Guid? WorkspaceId,
    string Language,
    long MemoryBytes,
    IReadOnlyList<SandboxFile> Files,
    IReadOnlyList<SandboxStep> Steps,
    IReadOnlyList<string> Directories,
    ReadOnlyMemory<byte> Stdin,
    bool CloseStdin);
