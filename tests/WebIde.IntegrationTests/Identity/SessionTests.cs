using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebIde.IntegrationTests.Identity;

/// <summary>docs/api.md §1: refresh rotation, reuse detection and logout, through the gateway.</summary>
public sealed class SessionTests
{
    private static readonly TimeSpan RevocationDeadline = TimeSpan.FromSeconds(1);

    [Test]
    public async Task RefreshingAnswersANewPairAndSpendsTheOldRefreshToken()
    {
        using var client = Platform.CreateGatewayClient();
        var (_, first) = await Accounts.SignedInUserAsync(client);

        using var refreshed = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = first.Refresh() });
        var second = await refreshed.Content.ReadFromJsonAsync<JsonElement>();
        using var me = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/auth/me", second.Access()));

        Assert.Multiple(() =>
        {
            Assert.That(refreshed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(second.Refresh(), Is.Not.EqualTo(first.Refresh()));
            Assert.That(Jwt.Decode(second.Access()).Payload.GetProperty("sid").GetString(),
                Is.EqualTo(Jwt.Decode(first.Access()).Payload.GetProperty("sid").GetString()), "a refresh continues the session");
            Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task PresentingASpentRefreshTokenAgainEndsTheWholeSession()
    {
        using var client = Platform.CreateGatewayClient();
        var (_, first) = await Accounts.SignedInUserAsync(client);
        using var refreshed = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = first.Refresh() });
        var second = await refreshed.Content.ReadFromJsonAsync<JsonElement>();

        using var replay = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = first.Refresh() });
        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        using var stolenRefresh = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = second.Refresh() });
        Assert.That(stolenRefresh.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the newest refresh token of the session must die too");
        await AssertRejectedWithinAsync(client, second.Access());
        await AssertRejectedWithinAsync(client, first.Access());
    }

    [Test]
    public async Task AnUnknownRefreshTokenIs401()
    {
        using var client = Platform.CreateGatewayClient();

        using var response = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = "not-a-token" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task LogoutRejectsTheSessionsTokensWithinASecond()
    {
        using var client = Platform.CreateGatewayClient();
        var (_, tokens) = await Accounts.SignedInUserAsync(client);

        using var logout = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/auth/logout", tokens.Access()));
        Assert.That(logout.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        await AssertRejectedWithinAsync(client, tokens.Access());
        using var refresh = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens.Refresh() });
        Assert.That(refresh.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AfterLogoutTheGatewayStopsTheTokenBeforeItReachesAnyService()
    {
        using var client = Platform.CreateGatewayClient();
        var (_, tokens) = await Accounts.SignedInUserAsync(client);
        var tree = $"/api/workspaces/{Guid.NewGuid()}/tree";
        using var before = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, tree, tokens.Access()));
        Assert.That((await before.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("service").GetString(), Is.EqualTo("filesystem"), "the gateway let the valid token through");

        using var logout = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/auth/logout", tokens.Access()));
        var deadline = DateTime.UtcNow + RevocationDeadline;
        JsonElement problem;
        HttpStatusCode status;
        do
        {
            using var after = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, tree, tokens.Access()));
            status = after.StatusCode;
            problem = await after.Content.ReadFromJsonAsync<JsonElement>();
        }
        while (status != HttpStatusCode.Unauthorized && DateTime.UtcNow < deadline);

        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(problem.GetProperty("service").GetString(), Is.EqualTo("gateway"));
    }

    [Test]
    public async Task LogoutEndsOnlyItsOwnSession()
    {
        using var client = Platform.CreateGatewayClient();
        var (username, laptop) = await Accounts.SignedInUserAsync(client);
        using var secondLogin = await Accounts.LoginAsync(client, username);
        var phone = await secondLogin.Content.ReadFromJsonAsync<JsonElement>();

        using var logout = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/auth/logout", laptop.Access()));
        await AssertRejectedWithinAsync(client, laptop.Access());
        using var me = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/auth/me", phone.Access()));

        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static async Task AssertRejectedWithinAsync(HttpClient client, string accessToken)
    {
        var deadline = DateTime.UtcNow + RevocationDeadline;
        HttpStatusCode status;
        do
        {
            using var me = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/auth/me", accessToken));
            status = me.StatusCode;
        }
        while (status != HttpStatusCode.Unauthorized && DateTime.UtcNow < deadline);

        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized), $"the token was still accepted {RevocationDeadline.TotalSeconds} s after its session ended");
    }
}
