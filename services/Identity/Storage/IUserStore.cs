namespace WebIde.Identity.Storage;

public interface IUserStore
{
    /// <summary>False when the normalized username is taken, decided by the store's unique index, not by a look-up first.</summary>
    Task<bool> TryCreateAsync(UserAccount user, CancellationToken cancellationToken);

    Task<UserAccount?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken);

    Task<UserAccount?> FindByIdAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the user's password hash with <paramref name="newHash"/> only while it is still
    /// <paramref name="currentHash"/>: a hash changed meanwhile is never overwritten with an older one.
    /// False when it was not replaced.
    /// </summary>
    Task<bool> TryReplacePasswordHashAsync(Guid id, string currentHash, string newHash, CancellationToken cancellationToken);
}
