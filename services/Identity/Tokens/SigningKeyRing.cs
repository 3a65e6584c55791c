using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using WebIde.Identity.Storage;

namespace WebIde.Identity.Tokens;

/// <summary>
/// The keys that sign and verify access tokens, kept in the store so that a restart (or
/// another identity instance) signs and verifies with the same ones. Rotation: a new key is
/// created <see cref="TokenOptions.KeyPublishAhead"/> before the current one has signed for
/// <see cref="TokenOptions.KeyRotationPeriod"/>; it is published at once and signs once it has
/// been published that long. A key keeps verifying until every token it signed has expired.
/// </summary>
public sealed class SigningKeyRing(ISigningKeyStore store, IOptions<TokenOptions> options, TimeProvider time, ILogger<SigningKeyRing> logger) : IDisposable
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile IReadOnlyList<SigningKey> _keys = [];
    private DateTimeOffset _loadedAt = DateTimeOffset.MinValue;

    /// <summary>Keys are re-read this often, so all instances converge on one set.</summary>
    private static readonly TimeSpan ReloadEvery = TimeSpan.FromMinutes(1);

    public async Task<SigningKey> GetSigningKeyAsync(CancellationToken cancellationToken)
    {
        var keys = await GetKeysAsync(cancellationToken);
        var now = time.GetUtcNow();
        var publishAhead = options.Value.KeyPublishAhead;
        // The newest key published long enough ago; on a fresh install, the only key there is.
        return keys.Where(key => key.Record.CreatedAt + publishAhead <= now).MaxBy(key => key.Record.CreatedAt)
            ?? keys.MinBy(key => key.Record.CreatedAt)!;
    }

    public async Task<IReadOnlyList<SigningKey>> GetVerificationKeysAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return [.. (await GetKeysAsync(cancellationToken)).Where(key => key.Record.RetiresAt > now)];
    }

    /// <summary>For token validation inside identity, which cannot await: the keys as last loaded.</summary>
    public IEnumerable<SecurityKey> CurrentVerificationKeys(string? keyId)
    {
        var now = time.GetUtcNow();
        return _keys.Where(key => key.Record.RetiresAt > now && (keyId is null || key.Record.KeyId == keyId))
            .Select(key => key.VerificationKey);
    }

    /// <summary>
    /// Creates the next key when the newest one is due to be succeeded; safe to call from any instance.
    /// True when it made the installation's first key.
    /// </summary>
    public async Task<bool> RotateIfDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var newest = (await GetKeysAsync(cancellationToken, forceReload: true)).MaxBy(key => key.Record.CreatedAt);
        if (newest is not null && newest.Record.CreatedAt + settings.KeyRotationPeriod - settings.KeyPublishAhead > now)
        {
            return false;
        }

        // It signs from publish-ahead after now for one period, then its tokens live on.
        var retiresAfter = settings.KeyPublishAhead + settings.KeyRotationPeriod + settings.KeyPublishAhead + settings.AccessTokenLifetime;
        var record = SigningKey.Generate(now, retiresAfter);
        await store.AddAsync(record, cancellationToken);
        logger.LogInformation("Created signing key {KeyId}; it signs from {SignsFrom}", record.KeyId, newest is null ? now : now + settings.KeyPublishAhead);
        await GetKeysAsync(cancellationToken, forceReload: true);
        return newest is null;
    }

    /// <summary>Reads the keys from the store now, whatever the last read.</summary>
    public Task ReloadAsync(CancellationToken cancellationToken) => GetKeysAsync(cancellationToken, forceReload: true);

    private async Task<IReadOnlyList<SigningKey>> GetKeysAsync(CancellationToken cancellationToken, bool forceReload = false)
    {
        if (!forceReload && _keys.Count > 0 && time.GetUtcNow() - _loadedAt < ReloadEvery)
        {
            return _keys;
        }

        await _reload.WaitAsync(cancellationToken);
        try
        {
            if (!forceReload && _keys.Count > 0 && time.GetUtcNow() - _loadedAt < ReloadEvery)
            {
                return _keys;
            }

            var records = await store.ListAsync(cancellationToken);
            var previous = _keys;
            _keys = [.. records.Select(record => previous.FirstOrDefault(key => key.Record.KeyId == record.KeyId) ?? new SigningKey(record))];
            _loadedAt = time.GetUtcNow();
            if (_keys.Count == 0 && !forceReload)
            {
                throw new InvalidOperationException("No signing key exists yet: the key rotation service creates one at start.");
            }
            return _keys;
        }
        finally
        {
            _reload.Release();
        }
    }

    public void Dispose()
    {
        _reload.Dispose();
        foreach (var key in _keys)
        {
            key.Dispose();
        }
    }
}
