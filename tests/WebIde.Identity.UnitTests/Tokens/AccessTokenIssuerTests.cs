using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using WebIde.Identity.Storage;
using WebIde.Identity.Tokens;
using WebIde.ServiceDefaults.Authentication;

using WebIde.Tests.Shared;

namespace WebIde.Identity.UnitTests.Tokens;

public sealed class AccessTokenIssuerTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 8, 30, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private static readonly UserAccount Alice = new(Guid.NewGuid(), "alice", "alice", "Alice A.", "not-a-hash", Start);

    private KeyStoreFile _file = null!;
    private ManualTime _time = null!;
    private SigningKeyRing _ring = null!;
    private AccessTokenIssuer _issuer = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _file = new KeyStoreFile();
        _time = new ManualTime(Start);
        var options = KeyStoreFile.Options();
        options.AccessTokenLifetime = Lifetime;
        _ring = _file.OpenRing(_time, options);
        await _ring.RotateIfDueAsync(CancellationToken.None);
        _issuer = new AccessTokenIssuer(_ring, Options.Create(options), _time);
    }

    [TearDown]
    public void Stop()
    {
        _ring.Dispose();
        _file.Dispose();
    }

    [Test]
    public async Task AUserTokenIsEs256WithTheSigningKeysId()
    {
        var token = new JsonWebToken(await _issuer.IssueAsync(Alice, Guid.NewGuid(), CancellationToken.None));

        Assert.That(token.Alg, Is.EqualTo("ES256"));
        Assert.That(token.Kid, Is.EqualTo((await _ring.GetSigningKeyAsync(CancellationToken.None)).Record.KeyId));
        Assert.That(token.Typ, Is.EqualTo("JWT"));
    }

    [Test]
    public async Task AUserTokenCarriesTheUserTheSessionAndItsTimes()
    {
        var session = Guid.NewGuid();

        var token = new JsonWebToken(await _issuer.IssueAsync(Alice, session, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(token.GetClaim("sub").Value, Is.EqualTo(Alice.Id.ToString()));
            Assert.That(token.GetClaim("sid").Value, Is.EqualTo(session.ToString()));
            Assert.That(token.GetClaim("name").Value, Is.EqualTo("alice"));
            Assert.That(token.Id, Is.Not.Empty);
            Assert.That(token.Issuer, Is.EqualTo("webide"));
            Assert.That(token.Audiences, Is.EqualTo(new[] { "webide" }));
            Assert.That(new DateTimeOffset(token.IssuedAt), Is.EqualTo(Start));
            Assert.That(new DateTimeOffset(token.ValidFrom), Is.EqualTo(Start));
            Assert.That(new DateTimeOffset(token.ValidTo), Is.EqualTo(Start + Lifetime));
            Assert.That(token.TryGetClaim("client_id", out _), Is.False);
        });
    }

    [Test]
    public async Task TheLifetimeIsTheConfiguredOne()
    {
        var token = new JsonWebToken(await _issuer.IssueAsync(Alice, Guid.NewGuid(), CancellationToken.None));

        Assert.That(_issuer.Lifetime, Is.EqualTo(Lifetime));
        Assert.That(token.ValidTo - token.IssuedAt, Is.EqualTo(Lifetime));
    }

    [Test]
    public async Task EveryTokenHasItsOwnId()
    {
        var one = new JsonWebToken(await _issuer.IssueAsync(Alice, Guid.NewGuid(), CancellationToken.None));
        var two = new JsonWebToken(await _issuer.IssueAsync(Alice, Guid.NewGuid(), CancellationToken.None));

        Assert.That(two.Id, Is.Not.EqualTo(one.Id));
    }

    [Test]
    public async Task AServiceTokenNamesTheServiceAndHasNoSession()
    {
        var token = new JsonWebToken(await _issuer.IssueForServiceAsync("filesystem", new HashSet<string>(), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(token.Subject, Is.EqualTo("service:filesystem"));
            Assert.That(token.GetClaim("client_id").Value, Is.EqualTo("filesystem"));
            Assert.That(token.TryGetClaim("sid", out _), Is.False);
            Assert.That(token.Id, Is.Not.Empty);
            Assert.That(token.Alg, Is.EqualTo("ES256"));
            Assert.That(token.ValidTo - token.IssuedAt, Is.EqualTo(Lifetime));
        });
    }

    [Test]
    public async Task AServiceTokenCarriesItsScopesAsOneSpaceSeparatedScopeClaim()
    {
        var token = new JsonWebToken(await _issuer.IssueForServiceAsync(
            "collaboration", new HashSet<string> { "files:write", "members:read", "files:read" }, CancellationToken.None));

        Assert.That(token.GetClaim("scope").Value, Is.EqualTo("files:read files:write members:read"));
    }

    [Test]
    public async Task AServiceTokenWithoutScopesHasNoScopeClaim()
    {
        var token = new JsonWebToken(await _issuer.IssueForServiceAsync("newcomer", new HashSet<string>(), CancellationToken.None));

        Assert.That(token.TryGetClaim("scope", out _), Is.False);
    }

    [Test]
    public async Task AUserTokenHasNoScopeClaim()
    {
        var token = new JsonWebToken(await _issuer.IssueAsync(Alice, Guid.NewGuid(), CancellationToken.None));

        Assert.That(token.TryGetClaim("scope", out _), Is.False);
    }

    [Test]
    public async Task TheScopesSurviveValidationAsAServiceSeesThem()
    {
        // As the services' JWT bearer handler reads it: JsonWebTokenHandler, inbound claims not mapped.
        var token = await _issuer.IssueForServiceAsync("execution", new HashSet<string> { "files:read", "members:read" }, CancellationToken.None);
        var result = await TokenCheck.ValidateAsync(token, await _ring.GetVerificationKeysAsync(CancellationToken.None), _time);
        var caller = new ClaimsPrincipal(result.ClaimsIdentity);

        Assert.That(result.IsValid, Is.True, () => result.Exception?.Message ?? "");
        Assert.That(ServiceScopes.All.Where(caller.HasServiceScope), Is.EquivalentTo(new[] { "files:read", "members:read" }));
    }

    [Test]
    public async Task ATokenVerifiesWithThePublishedKeysUntilItExpires()
    {
        var token = await _issuer.IssueAsync(Alice, Guid.NewGuid(), CancellationToken.None);
        var keys = await _ring.GetVerificationKeysAsync(CancellationToken.None);

        _time.Now = Start + Lifetime - TimeSpan.FromSeconds(1);
        var valid = await TokenCheck.ValidateAsync(token, keys, _time);
        _time.Now = Start + Lifetime + TimeSpan.FromSeconds(1);
        var expired = await TokenCheck.ValidateAsync(token, keys, _time);

        Assert.That(valid.IsValid, Is.True, () => valid.Exception?.Message ?? "");
        Assert.That(valid.Claims["sub"], Is.EqualTo(Alice.Id.ToString()));
        Assert.That(expired.IsValid, Is.False);
    }

    [Test]
    public async Task AChangedPayloadDoesNotVerify()
    {
        var token = await _issuer.IssueAsync(Alice, Guid.NewGuid(), CancellationToken.None);
        var parts = token.Split('.');
        var payload = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(parts[1]).Replace("alice", "mallory", StringComparison.Ordinal);
        var forged = $"{parts[0]}.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        var result = await TokenCheck.ValidateAsync(forged, await _ring.GetVerificationKeysAsync(CancellationToken.None), _time);

        Assert.That(result.IsValid, Is.False);
    }
}
