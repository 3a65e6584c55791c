namespace WebIde.Identity.Accounts;

/// <summary>What a login or a refresh issued: the pair, and until when its refresh token (its session) lasts.</summary>
public sealed record IssuedTokens(TokenPair Pair, DateTimeOffset RefreshTokenExpiresAt);
