using Microsoft.AspNetCore.Identity;
using WebIde.Identity.Storage;

namespace WebIde.Identity.Accounts;

/// <summary>
/// ASP.NET Core Identity's password hasher (PBKDF2-HMAC-SHA512, salted, constant-time
/// comparison). An unknown username is checked against a decoy hash so it costs the same
/// time as a wrong password, and the two cannot be told apart.
/// </summary>
public sealed class PasswordVerifier
{
    private readonly PasswordHasher<UserAccount> _hasher = new();
    private readonly UserAccount _decoy;

    public PasswordVerifier()
    {
        var placeholder = new UserAccount(Guid.Empty, "", "", "", "", DateTimeOffset.UnixEpoch);
        _decoy = placeholder with { PasswordHash = _hasher.HashPassword(placeholder, Guid.NewGuid().ToString()) };
    }

    public string Hash(UserAccount user, string password) => _hasher.HashPassword(user, password);

    /// <summary>True only for a known user with that password; the same work either way.</summary>
    public bool Verify(UserAccount? user, string password)
    {
        var candidate = user ?? _decoy;
        var result = _hasher.VerifyHashedPassword(candidate, candidate.PasswordHash, password);
        return user is not null && result != PasswordVerificationResult.Failed;
    }
}
