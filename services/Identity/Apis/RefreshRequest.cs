namespace WebIde.Identity.Apis;

public sealed record RefreshRequest(string? RefreshToken);
