using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace WebIde.IntegrationTests.Identity;

/// <summary>docs/api.md §1 through the gateway: register, login, me, JWKS.</summary>
public sealed class AccountTests
{
    [Test]
    public async Task RegisteringAnswersTheNewUserAndTheNameIsTakenCaseInsensitively()
    {
        using var client = Platform.CreateGatewayClient();
        var username = Accounts.NewUsername("Reg");

        using var created = await Accounts.RegisterAsync(client, username, displayName: "Ada L.");
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        using var again = await Accounts.RegisterAsync(client, username.ToUpperInvariant());

        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(Guid.TryParse(body.GetProperty("id").GetString(), out _), Is.True);
            Assert.That(body.GetProperty("username").GetString(), Is.EqualTo(username));
            Assert.That(body.GetProperty("displayName").GetString(), Is.EqualTo("Ada L."));
            Assert.That(body.TryGetProperty("passwordHash", out _), Is.False);
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(again.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        });
    }

    [TestCase("ab", Accounts.Password, TestName = "a username of 2 characters")]
    [TestCase("abcdefghijklmnopqrstuvwxyz0123456", Accounts.Password, TestName = "a username of 33 characters")]
    [TestCase("bad name", Accounts.Password, TestName = "a username with a space")]
    [TestCase("émile", Accounts.Password, TestName = "a username with a non-ASCII letter")]
    [TestCase("valid-name", "short", TestName = "a password of 5 characters")]
    [TestCase("valid-name", "", TestName = "an empty password")]
    public async Task InvalidRegistrationsAre400AndCreateNothing(string username, string password)
    {
        using var client = Platform.CreateGatewayClient();

        using var response = await Accounts.RegisterAsync(client, username, password);
        using var login = await Accounts.LoginAsync(client, username, password);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task APasswordOf129CharactersIsRefused()
    {
        using var client = Platform.CreateGatewayClient();

        using var response = await Accounts.RegisterAsync(client, Accounts.NewUsername(), new string('p', 129));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task MalformedJsonIs400NotAServerError()
    {
        using var client = Platform.CreateGatewayClient();

        using var response = await client.PostAsync("/api/auth/register", new StringContent("{\"username\":", Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task LoginAnswersASignedShortLivedAccessTokenAndAnOpaqueRefreshToken()
    {
        using var client = Platform.CreateGatewayClient();
        var (username, tokens) = await Accounts.SignedInUserAsync(client);

        var (header, payload) = Jwt.Decode(tokens.Access());

        Assert.Multiple(() =>
        {
            Assert.That(tokens.GetProperty("tokenType").GetString(), Is.EqualTo("Bearer"));
            Assert.That(tokens.GetProperty("expiresIn").GetInt32(), Is.InRange(1, 900));
            Assert.That(tokens.Refresh(), Has.Length.GreaterThanOrEqualTo(32).And.Not.Contain("."));
            Assert.That(header.GetProperty("alg").GetString(), Is.AnyOf("ES256", "RS256"));
            Assert.That(header.GetProperty("kid").GetString(), Is.Not.Empty);
            Assert.That(payload.GetProperty("name").GetString(), Is.EqualTo(username));
            foreach (var claim in new[] { "sub", "sid", "jti" })
            {
                Assert.That(payload.GetProperty(claim).GetString(), Is.Not.Empty, claim);
            }
            var lifetime = payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64();
            Assert.That(lifetime, Is.InRange(1, 900), "access tokens live 15 minutes at most");
        });
    }

    [Test]
    public async Task AnUnknownUserAndAWrongPasswordGetTheSameAnswer()
    {
        using var client = Platform.CreateGatewayClient();
        var (username, _) = await Accounts.SignedInUserAsync(client);

        using var wrongPassword = await Accounts.LoginAsync(client, username, "not the password");
        using var unknownUser = await Accounts.LoginAsync(client, Accounts.NewUsername("ghost"), "not the password");
        var first = await wrongPassword.Content.ReadFromJsonAsync<JsonElement>();
        var second = await unknownUser.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Multiple(() =>
        {
            Assert.That(wrongPassword.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(unknownUser.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(second.GetProperty("title").GetString(), Is.EqualTo(first.GetProperty("title").GetString()));
            Assert.That(second.GetProperty("detail").GetString(), Is.EqualTo(first.GetProperty("detail").GetString()));
        });
    }

    [Test]
    public async Task MeAnswersTheSignedInUserAndNeedsAToken()
    {
        using var client = Platform.CreateGatewayClient();
        var (username, tokens) = await Accounts.SignedInUserAsync(client);

        using var me = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/auth/me", tokens.Access()));
        using var anonymous = await client.GetAsync("/api/auth/me");
        var body = await me.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Multiple(() =>
        {
            Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("username").GetString(), Is.EqualTo(username));
            Assert.That(body.GetProperty("id").GetString(), Is.EqualTo(Jwt.Decode(tokens.Access()).Payload.GetProperty("sub").GetString()));
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(anonymous.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        });
    }

    [Test]
    public async Task TheKeySetPublishesTheSigningKeyWithoutItsPrivatePart()
    {
        using var client = Platform.CreateGatewayClient();
        var (_, tokens) = await Accounts.SignedInUserAsync(client);
        var keyId = Jwt.Decode(tokens.Access()).Header.GetProperty("kid").GetString();

        var keySet = await client.GetFromJsonAsync<JsonElement>("/api/auth/jwks");
        var keys = keySet.GetProperty("keys").EnumerateArray().ToList();

        Assert.That(keys.Select(key => key.GetProperty("kid").GetString()), Does.Contain(keyId));
        Assert.That(keys.Any(key => key.TryGetProperty("d", out _) || key.TryGetProperty("p", out _)), Is.False, "a private parameter was published");
    }
}
