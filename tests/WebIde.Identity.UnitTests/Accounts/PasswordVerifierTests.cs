using Microsoft.AspNetCore.Cryptography.KeyDerivation;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using WebIde.Identity.Accounts;
using WebIde.Identity.Storage;
using WebIde.Identity.UnitTests.Workspaces;

namespace WebIde.Identity.UnitTests.Accounts;

/// <summary>A login checks the password, and upgrades a hash made with older parameters when it succeeds.</summary>
public sealed class PasswordVerifierTests
{
    private const string Password = "correct horse battery";

    private FakeUserStore _users = null!;
    private PasswordVerifier _verifier = null!;

    [SetUp]
    public void SetUp()
    {
        _users = new FakeUserStore();
        _verifier = new PasswordVerifier(_users, new PasswordWork(), NullLogger<PasswordVerifier>.Instance);
    }

    [Test]
    public async Task ALoginWithAnOldHashStoresACurrentOne()
    {
        var user = await AddAsync("ada", new PasswordHasher<UserAccount>().HashPassword(null!, Password));

        var verified = await _verifier.VerifyAsync(user, Password, CancellationToken.None);

        var stored = PasswordHash.TryParse((await _users.FindByIdAsync(user.Id, CancellationToken.None))!.PasswordHash);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verified, Is.True);
            Assert.That(stored?.Prf, Is.EqualTo(KeyDerivationPrf.HMACSHA256));
            Assert.That(stored?.Iterations, Is.EqualTo(PasswordHash.CurrentIterations));
            Assert.That(stored?.Matches(Password), Is.True);
        }
    }

    [Test]
    public async Task AFailedLoginWithAnOldHashChangesNothing()
    {
        var old = new PasswordHasher<UserAccount>().HashPassword(null!, Password);
        var user = await AddAsync("grace", old);

        var verified = await _verifier.VerifyAsync(user, "wrong horse battery", CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verified, Is.False);
            Assert.That((await _users.FindByIdAsync(user.Id, CancellationToken.None))!.PasswordHash, Is.EqualTo(old));
        }
    }

    [Test]
    public async Task ALoginWithACurrentHashLeavesItAsItIs()
    {
        var current = _verifier.Hash(Password);
        var user = await AddAsync("linus", current);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _verifier.VerifyAsync(user, Password, CancellationToken.None), Is.True);
            Assert.That((await _users.FindByIdAsync(user.Id, CancellationToken.None))!.PasswordHash, Is.EqualTo(current));
        }
    }

    [Test]
    public async Task AnUnknownUserOrAnUnreadableHashMatchesNoPassword()
    {
        var broken = await AddAsync("barbara", "not-a-hash");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _verifier.VerifyAsync(null, Password, CancellationToken.None), Is.False);
            Assert.That(await _verifier.VerifyAsync(broken, "not-a-hash", CancellationToken.None), Is.False);
        }
    }

    private async Task<UserAccount> AddAsync(string username, string passwordHash)
    {
        var user = new UserAccount(Guid.NewGuid(), username, username, username, passwordHash, DateTimeOffset.UtcNow);
        await _users.TryCreateAsync(user, CancellationToken.None);
        return user;
    }
}
