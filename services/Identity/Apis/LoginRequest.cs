namespace WebIde.Identity.Apis;

public sealed record LoginRequest(string? Username, string? Password);
