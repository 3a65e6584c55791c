namespace WebIde.Identity.Accounts;

/// <summary>What login and refresh answer (docs/api.md §1).</summary>
public sealed record TokenPair(string AccessToken, string RefreshToken, string TokenType, int ExpiresIn);
