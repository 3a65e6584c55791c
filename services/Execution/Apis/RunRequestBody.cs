namespace WebIde.Execution.Apis;

/// <summary><c>POST /api/workspaces/{id}/runs</c>; <see cref="Stdin"/> is text, sent as UTF-8.</summary>
public sealed record RunRequestBody(string? Entry, string? Language, string? Stdin, IReadOnlyList<string>? Args, RunLimitsBody? Limits);
