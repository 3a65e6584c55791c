namespace WebIde.Execution.Runs;

/// <summary>
/// Where a run's or a check's files come from, checked as far as the request alone allows:
/// files given inline (paths and size checked already), or a workspace whose files are still
/// to be read, once the run has its slot. Either way the project may hold at most <paramref name="MaxBytes"/>, as <see cref="ProjectSize"/> counts.
/// </summary>
public sealed record ProjectSource(IReadOnlyList<SourceFile>? Inline, Guid? WorkspaceId, long MaxBytes);
