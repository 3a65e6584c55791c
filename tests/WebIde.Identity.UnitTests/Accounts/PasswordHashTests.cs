using Microsoft.AspNetCore.Cryptography.KeyDerivation;
using Microsoft.AspNetCore.Identity;
using WebIde.Identity.Accounts;
using WebIde.Identity.Storage;

namespace WebIde.Identity.UnitTests.Accounts;

public sealed class PasswordHashTests
{
    private const string Password = "correct horse battery";

    [Test]
    public void ANewHashIsPbkdf2Sha256AtSixHundredThousandIterations()
    {
        var hash = PasswordHash.TryParse(PasswordHash.Create(Password).ToString());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(hash?.Prf, Is.EqualTo(KeyDerivationPrf.HMACSHA256));
            Assert.That(hash?.Iterations, Is.EqualTo(600_000));
            Assert.That(hash?.IsCurrent, Is.True);
            Assert.That(hash?.Matches(Password), Is.True);
            Assert.That(hash?.Matches(Password + "!"), Is.False);
        }
    }

    [Test]
    public void TwoHashesOfOnePasswordDifferInTheirSalt()
    {
        var first = PasswordHash.Create(Password).ToString();
        var second = PasswordHash.Create(Password).ToString();

        Assert.That(second, Is.Not.EqualTo(first));
    }

    [Test]
    public void AHashStoredBeforeTheUpgradeIsReadWithItsOwnParameters()
    {
        // What registration stored until now: ASP.NET Core Identity's hasher, PBKDF2-HMAC-SHA512 at 100,000 iterations.
        var stored = new PasswordHasher<UserAccount>().HashPassword(null!, Password);

        var hash = PasswordHash.TryParse(stored);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(hash?.Prf, Is.EqualTo(KeyDerivationPrf.HMACSHA512));
            Assert.That(hash?.Iterations, Is.EqualTo(100_000));
            Assert.That(hash?.IsCurrent, Is.False);
            Assert.That(hash?.Matches(Password), Is.True);
            Assert.That(hash?.ToString(), Is.EqualTo(stored));
        }
    }

    [Test]
    public void ANewHashIsInTheLayoutAspNetCoreIdentityReads() =>
        Assert.That(
            new PasswordHasher<UserAccount>().VerifyHashedPassword(null!, PasswordHash.Create(Password).ToString(), Password),
            Is.Not.EqualTo(PasswordVerificationResult.Failed));

    [TestCase("")]
    [TestCase("not base64 !")]
    [TestCase("AA==")]
    [TestCase("AQAAAAEAAAAAAAAAEA==")]
    public void AnythingElseIsNoHash(string stored) => Assert.That(PasswordHash.TryParse(stored), Is.Null);

    [Test]
    public void AHashWithAnUnknownPrfOrNoIterationsIsNoHash()
    {
        var bytes = Convert.FromBase64String(PasswordHash.Create(Password).ToString());
        var unknownPrf = (byte[])bytes.Clone();
        unknownPrf[4] = 9;
        var noIterations = (byte[])bytes.Clone();
        Array.Clear(noIterations, 5, 4);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(PasswordHash.TryParse(Convert.ToBase64String(unknownPrf)), Is.Null);
            Assert.That(PasswordHash.TryParse(Convert.ToBase64String(noIterations)), Is.Null);
        }
    }
}
