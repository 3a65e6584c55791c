namespace WebIde.Execution.Apis;

public sealed record CheckResponse(IReadOnlyList<DiagnosticResponse> Diagnostics);
