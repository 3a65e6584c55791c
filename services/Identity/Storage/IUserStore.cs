namespace WebIde.Identity.Storage;

public interface IUserStore
{
    /// <summary>False when the normalized username is taken, decided by the store's unique index, not by a look-up first.</summary>
    Task<bool> TryCreateAsync(UserAccount user, CancellationToken cancellationToken);

    Task<UserAccount?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken);

    Task<UserAccount?> FindByIdAsync(Guid id, CancellationToken cancellationToken);
}
