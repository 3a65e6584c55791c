using Microsoft.Extensions.Options;
using WebIde.Identity.Storage;
using WebIde.Identity.Tokens;
using WebIde.ServiceDefaults.Authentication;

namespace WebIde.Identity.Accounts;

/// <summary>
/// Sign-in sessions: each login starts one; every refresh spends the presented refresh token
/// and hands out a new one; presenting a spent token again means it was stolen or replayed,
/// so the whole session ends (as OAuth 2.0's refresh-token rotation prescribes).
/// </summary>
public sealed class SessionService(
    IUserStore users,
    ISessionStore sessions,
    AccessTokenIssuer accessTokens,
    SessionRevocations revocations,
    IOptions<TokenOptions> options,
    TimeProvider time,
    ILogger<SessionService> logger)
{
    public async Task<IssuedTokens> StartAsync(UserAccount user, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var session = new LoginSession(Guid.NewGuid(), user.Id, now, now + options.Value.RefreshTokenLifetime, RevokedAt: null);
        var refreshToken = RefreshTokens.Create();
        await sessions.CreateAsync(session, NewRecord(refreshToken, session, now), cancellationToken);
        return await IssueAsync(user, session, refreshToken, cancellationToken);
    }

    /// <returns>Null when the token is unknown, expired, spent, or its session has ended.</returns>
    public async Task<IssuedTokens?> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var presented = await sessions.FindRefreshTokenAsync(RefreshTokens.Hash(refreshToken), cancellationToken);
        if (presented is null || presented.ExpiresAt <= now)
        {
            return null;
        }

        var session = await sessions.FindAsync(presented.SessionId, cancellationToken);
        if (session is null || session.RevokedAt is not null || session.ExpiresAt <= now)
        {
            return null;
        }

        var next = RefreshTokens.Create();
        if (presented.SpentAt is not null || !await sessions.TrySpendAsync(presented.TokenHash, NewRecord(next, session, now), now, cancellationToken))
        {
            logger.LogWarning("A spent refresh token of session {SessionId} was presented again; ending the session", session.Id);
            await EndAsync(session.Id, cancellationToken);
            return null;
        }

        var user = await users.FindByIdAsync(session.UserId, cancellationToken);
        return user is null ? null : await IssueAsync(user, session, next, cancellationToken);
    }

    /// <summary>
    /// Ends the session a refresh token belongs to, spent or not (a browser signing out with its
    /// cookie); a token of no session ends nothing.
    /// </summary>
    public async Task EndByRefreshTokenAsync(string refreshToken, CancellationToken cancellationToken)
    {
        if (await sessions.FindRefreshTokenAsync(RefreshTokens.Hash(refreshToken), cancellationToken) is { } presented)
        {
            await EndAsync(presented.SessionId, cancellationToken);
        }
    }

    /// <summary>Ends the session: its refresh tokens stop working at once, its access tokens everywhere within a second.</summary>
    public async Task EndAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await sessions.RevokeAsync(sessionId, time.GetUtcNow(), cancellationToken);
        await revocations.RevokeAsync(sessionId.ToString(), accessTokens.Lifetime + AuthenticationExtensions.ClockSkew);
    }

    private RefreshTokenRecord NewRecord(string token, LoginSession session, DateTimeOffset now) =>
        new(RefreshTokens.Hash(token), session.Id, session.UserId, now, session.ExpiresAt, SpentAt: null);

    private async Task<IssuedTokens> IssueAsync(UserAccount user, LoginSession session, string refreshToken, CancellationToken cancellationToken) =>
        new(new TokenPair(await accessTokens.IssueAsync(user, session.Id, cancellationToken), refreshToken, "Bearer", (int)accessTokens.Lifetime.TotalSeconds),
            session.ExpiresAt);
}
