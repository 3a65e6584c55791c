namespace WebIde.FileSystem.Apis;

public sealed record MoveRequest(string? From, string? To, bool? Overwrite);
