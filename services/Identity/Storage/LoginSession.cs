namespace WebIde.Identity.Storage;

/// <summary>One sign-in: every access and refresh token issued from it carries its id (<c>sid</c>).</summary>
public sealed record LoginSession(
    Guid Id,
    Guid UserId,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt);
