namespace WebIde.Execution.Apis;

/// <summary>
/// A message from the browser: <c>run</c> (entry, language?, args?, limits?, stdin?),
/// <c>stdin</c> (data), <c>closeStdin</c> or <c>kill</c>.
/// </summary>
public sealed record SocketCommand(string? Type, string? Entry, string? Language, IReadOnlyList<string>? Args, RunLimitsBody? Limits, string? Stdin, string? Data);
