using WebIde.Identity.Storage;

namespace WebIde.Identity.Accounts;

/// <summary>
/// Passwords as salted PBKDF2 hashes (<see cref="PasswordHash"/>), checked so that an answer does not tell whether
/// the user exists: an unknown username is checked against a decoy hash, at the cost of a real one. A login that
/// succeeds with a hash made with older parameters (ASP.NET Core Identity's PBKDF2-HMAC-SHA512 at 100,000
/// iterations, before) stores a current one in its place.
/// </summary>
public sealed class PasswordVerifier(IUserStore users, PasswordWork work, ILogger<PasswordVerifier> logger)
{
    private readonly PasswordHash _decoy = PasswordHash.Create(Guid.NewGuid().ToString());

    public string Hash(string password) => PasswordHash.Create(password).ToString();

    /// <summary><see cref="Hash"/> in one of this instance's turns (<see cref="PasswordWork"/>).</summary>
    public Task<string> HashAsync(string password, CancellationToken cancellationToken) =>
        work.RunAsync(() => Hash(password), cancellationToken);

    /// <summary>True only for a known user with that password; a failure changes nothing. Derived in one of this instance's turns.</summary>
    public async Task<bool> VerifyAsync(UserAccount? user, string password, CancellationToken cancellationToken)
    {
        var (matches, upgrade) = await work.RunAsync(() => Check(user, password), cancellationToken);
        if (upgrade is null)
        {
            return matches;
        }

        // Another login may have replaced it first; either new hash is as good.
        if (await users.TryReplacePasswordHashAsync(user!.Id, user.PasswordHash, upgrade, cancellationToken))
        {
            logger.LogInformation("The password hash of user {UserId} was upgraded to PBKDF2-{Prf} at {Iterations} iterations",
                user.Id, PasswordHash.CurrentPrf, PasswordHash.CurrentIterations);
        }
        return true;
    }

    /// <summary>Whether the password matches, and the current hash to store in place of an older one that matched.</summary>
    private (bool Matches, string? Upgrade) Check(UserAccount? user, string password)
    {
        var stored = user is null ? null : PasswordHash.TryParse(user.PasswordHash);
        if (stored is null)
        {
            _decoy.Matches(password);
            return (false, null);
        }

        var matches = stored.Matches(password);
        if (stored.IsCurrent)
        {
            return (matches, null);
        }

        if (!matches)
        {
            // An old hash is cheaper to check: the decoy's work too makes this failure cost what the success below
            // does (old hash, then a current one), and never less than an unknown user's.
            _decoy.Matches(password);
            return (false, null);
        }
        return (true, Hash(password));
    }
}
