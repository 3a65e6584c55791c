using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace WebIde.IntegrationTests.Identity;

/// <summary>
/// Credentials an attacker holds that must not verify (docs/api.md §0: forged, expired, of a session
/// that has ended; §7: a socket ticket is no token), each made from a valid user's token so that a
/// refusal can only be for what is wrong with it: accepted, it would act as that user.
/// </summary>
public static class UnverifiableTokens
{
    public const string Expired = "expired, signed by identity";
    public const string ForeignKey = "signed by another key";
    public const string Unsigned = "unsigned, alg none";
    public const string SessionEnded = "of a session that ended";
    public const string Ticket = "a socket ticket";

    /// <summary>How long a session's tokens may still pass after its logout (docs/api.md §1).</summary>
    private static readonly TimeSpan RevocationDeadline = TimeSpan.FromSeconds(1);

    /// <summary>A credential of <paramref name="kind"/> for the user of <paramref name="accessToken"/>, who stays signed in.</summary>
    public static async Task<string> MakeAsync(string kind, HttpClient client, string accessToken) => kind switch
    {
        Expired => ExpiredToken(accessToken),
        ForeignKey => SignedByAnotherKey(accessToken),
        Unsigned => Jwt.Encode(new { alg = "none", typ = "JWT" }, Jwt.Decode(accessToken).Payload, ""),
        SessionEnded => await TokenOfAnEndedSessionAsync(client, accessToken),
        Ticket => await TicketAsync(client, accessToken),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a kind of unverifiable token"),
    };

    private static string ExpiredToken(string accessToken)
    {
        var (header, payload) = Jwt.Decode(accessToken);
        var claims = payload.EnumerateObject().ToDictionary(property => property.Name, property => (object)property.Value.Clone());
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        claims["iat"] = now - 1200;
        claims["nbf"] = now - 1200;
        claims["exp"] = now - 300;
        return IdentitySigningKey.Sign(header.GetProperty("kid").GetString()!, claims);
    }

    private static string SignedByAnotherKey(string accessToken)
    {
        var parts = accessToken.Split('.');
        using var foreign = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var unsigned = $"{parts[0]}.{parts[1]}";
        return $"{unsigned}.{Jwt.Base64Url(foreign.SignData(Encoding.ASCII.GetBytes(unsigned), HashAlgorithmName.SHA256))}";
    }

    /// <summary>The same user signs in once more and signs that session out: its token, refused everywhere within a second.</summary>
    private static async Task<string> TokenOfAnEndedSessionAsync(HttpClient client, string accessToken)
    {
        var username = Jwt.Decode(accessToken).Payload.GetProperty("name").GetString()!;
        using var login = await Accounts.LoginAsync(client, username);
        login.EnsureSuccessStatusCode();
        var ended = (await login.Content.ReadFromJsonAsync<JsonElement>()).Access();
        using (var logout = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/auth/logout", ended)))
        {
            Assert.That(logout.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
        var deadline = DateTime.UtcNow + RevocationDeadline;
        HttpStatusCode status;
        do
        {
            using var me = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/auth/me", ended));
            status = me.StatusCode;
        }
        while (status != HttpStatusCode.Unauthorized && DateTime.UtcNow < deadline);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized), "the ended session's token was still accepted");
        return ended;
    }

    private static async Task<string> TicketAsync(HttpClient client, string accessToken)
    {
        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/auth/ticket", accessToken));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticket").GetString()!;
    }
}
