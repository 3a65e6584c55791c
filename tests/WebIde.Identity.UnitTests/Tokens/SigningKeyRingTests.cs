using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WebIde.Identity.Tokens;

using WebIde.Tests.Shared;

namespace WebIde.Identity.UnitTests.Tokens;

/// <summary>
/// Rotation over a real SQLite file, on a clock the tests move. With the options of
/// <see cref="KeyStoreFile.Options"/>: rotation period P = 1 day, publish-ahead A = 1 hour,
/// token lifetime L = 15 minutes.
/// </summary>
public sealed class SigningKeyRingTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TokenOptions Settings = KeyStoreFile.Options();
    private static readonly TimeSpan Period = Settings.KeyRotationPeriod;
    private static readonly TimeSpan Ahead = Settings.KeyPublishAhead;
    private static readonly TimeSpan Lifetime = Settings.AccessTokenLifetime;
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private KeyStoreFile _file = null!;
    private ManualTime _time = null!;

    [SetUp]
    public void CreateFile()
    {
        _file = new KeyStoreFile();
        _time = new ManualTime(Start);
    }

    [TearDown]
    public void RemoveFile() => _file.Dispose();

    private AccessTokenIssuer Issuer(SigningKeyRing ring) => new(ring, Options.Create(Settings), _time);

    private static string KeyIdOf(string token) => new JsonWebToken(token).Kid;

    private static async Task<string[]> PublishedIdsAsync(SigningKeyRing ring) =>
        [.. (await ring.GetVerificationKeysAsync(CancellationToken.None)).Select(key => key.Record.KeyId)];

    private async Task<string> SigningIdAsync(SigningKeyRing ring) =>
        (await ring.GetSigningKeyAsync(CancellationToken.None)).Record.KeyId;

    /// <summary>Brings a ring to the moment its second key has just been created; returns both ids.</summary>
    private async Task<(string First, string Second)> RotateOnceAsync(SigningKeyRing ring)
    {
        await ring.RotateIfDueAsync(CancellationToken.None);
        var first = await SigningIdAsync(ring);
        _time.Now = Start + Period - Ahead;
        await ring.RotateIfDueAsync(CancellationToken.None);
        var second = (await PublishedIdsAsync(ring)).Single(id => id != first);
        return (first, second);
    }

    [Test]
    public void AnEmptyRingRefusesToSignBeforeTheFirstKeyExists()
    {
        var ring = _file.OpenRing(_time);

        Assert.ThrowsAsync<InvalidOperationException>(() => ring.GetSigningKeyAsync(CancellationToken.None));
    }

    [Test]
    public async Task AFreshRingCreatesExactlyOneKeyThatSignsAtOnce()
    {
        var ring = _file.OpenRing(_time);

        await ring.RotateIfDueAsync(CancellationToken.None);
        await ring.RotateIfDueAsync(CancellationToken.None);

        var stored = await _file.OpenStore().ListAsync(CancellationToken.None);
        Assert.That(stored, Has.Count.EqualTo(1));
        var token = await Issuer(ring).IssueForServiceAsync("files", new HashSet<string>(), CancellationToken.None);
        Assert.That(KeyIdOf(token), Is.EqualTo(stored[0].KeyId));
        var result = await TokenCheck.ValidateAsync(token, await ring.GetVerificationKeysAsync(CancellationToken.None), _time);
        Assert.That(result.IsValid, Is.True, () => result.Exception?.Message ?? "");
    }

    [Test]
    public async Task NoNewKeyIsCreatedBeforeThePeriodLessThePublishAheadHasPassed()
    {
        var ring = _file.OpenRing(_time);
        await ring.RotateIfDueAsync(CancellationToken.None);

        foreach (var at in new[] { Start + Second, Start + TimeSpan.FromHours(12), Start + Period - Ahead - Second })
        {
            _time.Now = at;
            await ring.RotateIfDueAsync(CancellationToken.None);
        }

        Assert.That(await _file.OpenStore().ListAsync(CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task ANewKeyIsPublishedAtOnceButTheOldOneSignsUntilTheNewOneHasBeenPublishedLongEnough()
    {
        var ring = _file.OpenRing(_time);

        var (first, second) = await RotateOnceAsync(ring);

        Assert.That(await _file.OpenStore().ListAsync(CancellationToken.None), Has.Count.EqualTo(2));
        Assert.That(await PublishedIdsAsync(ring), Is.EquivalentTo(new[] { first, second }));
        Assert.That(KeyIdOf(await Issuer(ring).IssueForServiceAsync("files", new HashSet<string>(), CancellationToken.None)), Is.EqualTo(first));

        _time.Now = Start + Period - Second;
        Assert.That(await SigningIdAsync(ring), Is.EqualTo(first));

        _time.Now = Start + Period;
        Assert.That(KeyIdOf(await Issuer(ring).IssueForServiceAsync("files", new HashSet<string>(), CancellationToken.None)), Is.EqualTo(second));
        await ring.RotateIfDueAsync(CancellationToken.None);
        Assert.That(await _file.OpenStore().ListAsync(CancellationToken.None), Has.Count.EqualTo(2), "the new key is not due to be succeeded yet");
    }

    [TestCase(60)]
    [TestCase(5)]
    public async Task ATokenOfTheOldKeyStillVerifiesAfterTheNewKeyTookOverUntilItExpires(int publishAheadMinutes)
    {
        // Publishing ahead for less than a token lives must not cut the old key's tokens short.
        var settings = KeyStoreFile.Options();
        settings.KeyPublishAhead = TimeSpan.FromMinutes(publishAheadMinutes);
        var ring = _file.OpenRing(_time, settings);
        var issuer = new AccessTokenIssuer(ring, Options.Create(settings), _time);
        await ring.RotateIfDueAsync(CancellationToken.None);
        var first = await SigningIdAsync(ring);
        _time.Now = Start + Period - settings.KeyPublishAhead;
        await ring.RotateIfDueAsync(CancellationToken.None);
        _time.Now = Start + Period - Second;
        var lastOfTheOldKey = await issuer.IssueForServiceAsync("files", new HashSet<string>(), CancellationToken.None);
        Assert.That(KeyIdOf(lastOfTheOldKey), Is.EqualTo(first));
        _time.Now = Start + Period;
        Assert.That(await SigningIdAsync(ring), Is.Not.EqualTo(first));

        _time.Now = Start + Period - Second + Lifetime - Second;
        var result = await TokenCheck.ValidateAsync(lastOfTheOldKey, await ring.GetVerificationKeysAsync(CancellationToken.None), _time);

        Assert.That(result.IsValid, Is.True, () => result.Exception?.Message ?? "");
    }

    [Test]
    public async Task TheOldKeyVerifiesUntilItRetiresAndNotAfter()
    {
        var ring = _file.OpenRing(_time);
        await ring.RotateIfDueAsync(CancellationToken.None);
        var token = await Issuer(ring).IssueForServiceAsync("files", new HashSet<string>(), CancellationToken.None);
        var first = KeyIdOf(token);
        _time.Now = Start + Period - Ahead;
        await ring.RotateIfDueAsync(CancellationToken.None);
        var retiresAt = (await ring.GetVerificationKeysAsync(CancellationToken.None)).Single(key => key.Record.KeyId == first).Record.RetiresAt;
        Assert.That(retiresAt, Is.GreaterThanOrEqualTo(Start + Period + Lifetime), "it signed until the period ended; those tokens must verify to their end");

        // Lifetime is not checked here: the question is only whether the key is still offered.
        _time.Now = retiresAt - Second;
        var before = await TokenCheck.ValidateAsync(token, await ring.GetVerificationKeysAsync(CancellationToken.None), _time, checkLifetime: false);
        _time.Now = retiresAt;
        var published = await PublishedIdsAsync(ring);
        var after = await TokenCheck.ValidateAsync(token, await ring.GetVerificationKeysAsync(CancellationToken.None), _time, checkLifetime: false);

        Assert.That(before.IsValid, Is.True, () => before.Exception?.Message ?? "");
        Assert.That(published, Does.Not.Contain(first));
        Assert.That(ring.CurrentVerificationKeys(first), Is.Empty);
        Assert.That(after.IsValid, Is.False);
        Assert.That(after.Exception, Is.InstanceOf<SecurityTokenSignatureKeyNotFoundException>());
    }

    [Test]
    public async Task ATokenSignedByAKeyTheRingDoesNotHoldDoesNotVerify()
    {
        using var otherFile = new KeyStoreFile();
        var foreign = otherFile.OpenRing(_time);
        await foreign.RotateIfDueAsync(CancellationToken.None);
        var ring = _file.OpenRing(_time);
        await ring.RotateIfDueAsync(CancellationToken.None);

        var token = await Issuer(foreign).IssueForServiceAsync("files", new HashSet<string>(), CancellationToken.None);
        var result = await TokenCheck.ValidateAsync(token, await ring.GetVerificationKeysAsync(CancellationToken.None), _time);

        Assert.That(result.IsValid, Is.False);
    }

    [Test]
    public async Task AnotherInstanceSeesANewKeyWithinAMinuteAndBothSignWithItWhenItIsDue()
    {
        var one = _file.OpenRing(_time);
        var two = _file.OpenRing(_time);
        await one.RotateIfDueAsync(CancellationToken.None);
        await two.RotateIfDueAsync(CancellationToken.None);
        Assert.That(await _file.OpenStore().ListAsync(CancellationToken.None), Has.Count.EqualTo(1), "the second instance found the first one's key");
        Assert.That(await SigningIdAsync(two), Is.EqualTo(await SigningIdAsync(one)));

        _time.Now = Start + Period - Ahead - Second;
        Assert.That(await PublishedIdsAsync(two), Has.Length.EqualTo(1));
        _time.Now = Start + Period - Ahead;
        await one.RotateIfDueAsync(CancellationToken.None);
        await two.RotateIfDueAsync(CancellationToken.None);
        Assert.That(await _file.OpenStore().ListAsync(CancellationToken.None), Has.Count.EqualTo(2), "one rotation for both instances");

        _time.Now = Start + Period - Ahead + TimeSpan.FromMinutes(1);
        Assert.That(await PublishedIdsAsync(two), Is.EquivalentTo(await PublishedIdsAsync(one)));
        _time.Now = Start + Period;
        var signing = await SigningIdAsync(one);
        Assert.That(await SigningIdAsync(two), Is.EqualTo(signing));
        Assert.That(await PublishedIdsAsync(one), Has.Length.EqualTo(2).And.Contains(signing));
    }

    [Test]
    public async Task ARotationByAnotherInstanceReachesAnInstanceThatDoesNotRotate()
    {
        var rotating = _file.OpenRing(_time);
        var other = _file.OpenRing(_time);
        var (_, second) = await RotateOnceAsync(rotating);
        // The other instance last loaded long before; it loads again on its own.
        _time.Now = Start + Period + TimeSpan.FromMinutes(2);

        Assert.That(await SigningIdAsync(other), Is.EqualTo(second));
        var token = await Issuer(rotating).IssueForServiceAsync("files", new HashSet<string>(), CancellationToken.None);
        var result = await TokenCheck.ValidateAsync(token, await other.GetVerificationKeysAsync(CancellationToken.None), _time);
        Assert.That(result.IsValid, Is.True, () => result.Exception?.Message ?? "");
    }

    [Test]
    public async Task KeysSurviveARestartSoItsTokensStillVerifyAndTheSameKeySigns()
    {
        var before = _file.OpenRing(_time);
        await before.RotateIfDueAsync(CancellationToken.None);
        var token = await Issuer(before).IssueForServiceAsync("files", new HashSet<string>(), CancellationToken.None);

        _file.Restart();
        _time.Advance(TimeSpan.FromMinutes(5));
        var after = _file.OpenRing(_time);
        await after.RotateIfDueAsync(CancellationToken.None);

        Assert.That(await _file.OpenStore().ListAsync(CancellationToken.None), Has.Count.EqualTo(1));
        Assert.That(await SigningIdAsync(after), Is.EqualTo(KeyIdOf(token)));
        var result = await TokenCheck.ValidateAsync(token, await after.GetVerificationKeysAsync(CancellationToken.None), _time);
        Assert.That(result.IsValid, Is.True, () => result.Exception?.Message ?? "");
    }

    [Test]
    public async Task TheKeysAsLastLoadedAreOfferedByIdForValidationThatCannotAwait()
    {
        var ring = _file.OpenRing(_time);
        var (first, second) = await RotateOnceAsync(ring);

        Assert.That(ring.CurrentVerificationKeys(first).Select(key => key.KeyId), Is.EqualTo(new[] { first }));
        Assert.That(ring.CurrentVerificationKeys(null).Select(key => key.KeyId), Is.EquivalentTo(new[] { first, second }));
        Assert.That(ring.CurrentVerificationKeys("no-such-key"), Is.Empty);
    }
}
