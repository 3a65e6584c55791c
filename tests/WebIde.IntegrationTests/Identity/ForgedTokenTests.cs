using System.Net;

namespace WebIde.IntegrationTests.Identity;

/// <summary>Tokens an attacker can make: every one of them is 401.</summary>
public sealed class ForgedTokenTests
{
    [Test]
    public async Task ATokenSignedByAForeignKeyIs401()
    {
        using var client = Platform.CreateGatewayClient();
        var (_, tokens) = await Accounts.SignedInUserAsync(client);
        var (header, payload) = Jwt.Decode(tokens.Access());

        await AssertRefusedAsync(client, await UnverifiableTokens.MakeAsync(UnverifiableTokens.ForeignKey, client, tokens.Access()));
        Assert.That(header.GetProperty("kid").GetString(), Is.Not.Empty);
        Assert.That(payload.GetProperty("sub").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task AnUnsignedTokenWithAlgNoneIs401()
    {
        using var client = Platform.CreateGatewayClient();
        var (_, tokens) = await Accounts.SignedInUserAsync(client);

        await AssertRefusedAsync(client, await UnverifiableTokens.MakeAsync(UnverifiableTokens.Unsigned, client, tokens.Access()));
    }

    [Test]
    public async Task AChangedPayloadIs401()
    {
        using var client = Platform.CreateGatewayClient();
        var (_, tokens) = await Accounts.SignedInUserAsync(client);
        var (_, victim) = await Accounts.SignedInUserAsync(client, "victim");
        var parts = tokens.Access().Split('.');
        var stolenIdentity = Jwt.Decode(victim.Access()).Payload;

        await AssertRefusedAsync(client, $"{parts[0]}.{Jwt.Encode(new { }, stolenIdentity, "").Split('.')[1]}.{parts[2]}");
    }

    [Test]
    public async Task ATokenForAnotherAudienceOrIssuerIs401()
    {
        using var client = Platform.CreateGatewayClient();
        var (_, tokens) = await Accounts.SignedInUserAsync(client);
        var parts = tokens.Access().Split('.');
        var payload = Jwt.Decode(tokens.Access()).Payload;
        var claims = payload.EnumerateObject().ToDictionary(property => property.Name, property => (object)property.Value.Clone());
        claims["aud"] = "someone-else";

        await AssertRefusedAsync(client, $"{parts[0]}.{Jwt.Encode(new { }, claims, "").Split('.')[1]}.{parts[2]}");
    }

    [Test]
    public async Task ATokenReSignedWithIdentitysKeyIsAcceptedWhenItsClaimsAreRight()
    {
        // The control for the two tests below: their tokens differ from this one only in the claim under test.
        using var client = Platform.CreateGatewayClient();
        var (keyId, claims) = await ClaimsOfAFreshTokenAsync(client);

        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/auth/me", IdentitySigningKey.Sign(keyId, claims)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task AnExpiredTokenSignedByIdentityIs401()
    {
        using var client = Platform.CreateGatewayClient();
        var (_, tokens) = await Accounts.SignedInUserAsync(client);

        await AssertRefusedAsync(client, await UnverifiableTokens.MakeAsync(UnverifiableTokens.Expired, client, tokens.Access()));
    }

    [Test]
    public async Task ATokenSignedByIdentityForAnotherAudienceIs401()
    {
        using var client = Platform.CreateGatewayClient();
        var (keyId, claims) = await ClaimsOfAFreshTokenAsync(client);
        claims["aud"] = "another-product";

        await AssertRefusedAsync(client, IdentitySigningKey.Sign(keyId, claims));
    }

    private static async Task<(string KeyId, Dictionary<string, object> Claims)> ClaimsOfAFreshTokenAsync(HttpClient client)
    {
        var (_, tokens) = await Accounts.SignedInUserAsync(client);
        var (header, payload) = Jwt.Decode(tokens.Access());
        return (header.GetProperty("kid").GetString()!,
            payload.EnumerateObject().ToDictionary(property => property.Name, property => (object)property.Value.Clone()));
    }

    [Test]
    public async Task GarbageIs401()
    {
        using var client = Platform.CreateGatewayClient();

        await AssertRefusedAsync(client, "not.a.token");
    }

    private static async Task AssertRefusedAsync(HttpClient client, string token)
    {
        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/auth/me", token));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
