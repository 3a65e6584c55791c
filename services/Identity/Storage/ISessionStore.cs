namespace WebIde.Identity.Storage;

public interface ISessionStore
{
    Task CreateAsync(LoginSession session, RefreshTokenRecord firstRefreshToken, CancellationToken cancellationToken);

    Task<LoginSession?> FindAsync(Guid sessionId, CancellationToken cancellationToken);

    Task<RefreshTokenRecord?> FindRefreshTokenAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically marks <paramref name="spentHash"/> spent and stores <paramref name="replacement"/>;
    /// false (and nothing stored) when it was already spent, so only one of two concurrent
    /// exchanges of the same token wins.
    /// </summary>
    Task<bool> TrySpendAsync(string spentHash, RefreshTokenRecord replacement, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>False when the session was already revoked or does not exist.</summary>
    Task<bool> RevokeAsync(Guid sessionId, DateTimeOffset now, CancellationToken cancellationToken);
}
