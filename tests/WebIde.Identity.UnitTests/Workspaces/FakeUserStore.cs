using System.Collections.Concurrent;
using WebIde.Identity.Storage;

namespace WebIde.Identity.UnitTests.Workspaces;

/// <summary>In memory, unique by normalized username as the real stores are.</summary>
public sealed class FakeUserStore : IUserStore
{
    private readonly ConcurrentDictionary<string, UserAccount> _byName = new(StringComparer.Ordinal);

    public UserAccount Add(string username)
    {
        var user = new UserAccount(Guid.NewGuid(), username, username.ToLowerInvariant(), username, "not-a-hash", DateTimeOffset.UtcNow);
        if (!_byName.TryAdd(user.NormalizedUsername, user))
        {
            throw new InvalidOperationException($"{username} exists.");
        }
        return user;
    }

    public Task<bool> TryCreateAsync(UserAccount user, CancellationToken cancellationToken) =>
        Task.FromResult(_byName.TryAdd(user.NormalizedUsername, user));

    public Task<UserAccount?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken) =>
        Task.FromResult(_byName.GetValueOrDefault(normalizedUsername));

    public Task<UserAccount?> FindByIdAsync(Guid id, CancellationToken cancellationToken) =>
        Task.FromResult(_byName.Values.FirstOrDefault(user => user.Id == id));

    public Task<bool> TryReplacePasswordHashAsync(Guid id, string currentHash, string newHash, CancellationToken cancellationToken)
    {
        var user = _byName.Values.FirstOrDefault(user => user.Id == id);
        return Task.FromResult(user is not null && user.PasswordHash == currentHash
            && _byName.TryUpdate(user.NormalizedUsername, user with { PasswordHash = newHash }, user));
    }
}
