namespace WebIde.Identity.Apis;

/// <param name="RefreshTokenCookie">The web app's sign-in: the refresh token goes in an HttpOnly cookie rather than the answer.</param>
public sealed record LoginRequest(string? Username, string? Password, bool? RefreshTokenCookie = null);
