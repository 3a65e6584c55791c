using WebIde.Execution.Runs;

namespace WebIde.Execution.Checks;

/// <summary>A check as the REST and gRPC APIs ask for it: one file of a project, given inline or as a workspace.</summary>
public sealed record CheckInput(string? Language, IReadOnlyList<SourceFile>? Files, Guid? WorkspaceId, string? Path);
