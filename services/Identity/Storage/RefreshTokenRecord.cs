namespace WebIde.Identity.Storage;

/// <summary>
/// A refresh token as stored: only the SHA-256 of the opaque token, never the token.
/// <see cref="SpentAt"/> is set when it is exchanged; presenting a spent one again is reuse.
/// </summary>
public sealed record RefreshTokenRecord(
    string TokenHash,
    Guid SessionId,
    Guid UserId,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? SpentAt);
