namespace WebIde.Identity.Apis;

public sealed record RegisterRequest(string? Username, string? Password, string? DisplayName);
