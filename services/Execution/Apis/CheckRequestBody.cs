namespace WebIde.Execution.Apis;

public sealed record CheckRequestBody(string? Path, string? Language);
