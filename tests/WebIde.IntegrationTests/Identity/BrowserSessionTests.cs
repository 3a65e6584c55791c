using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Microsoft.Net.Http.Headers;

namespace WebIde.IntegrationTests.Identity;

/// <summary>
/// docs/api.md §1, the web app's sessions, through the gateway: the refresh token in an HttpOnly,
/// Secure, SameSite=Strict cookie on /api/auth; refresh and logout with it need the CSRF header,
/// and a refused request spends nothing.
/// </summary>
public sealed class BrowserSessionTests
{
    private const string CookieName = "webide_refresh";

    [Test]
    public async Task ABrowserSignsInRefreshesAndSignsOutWithTheCookie()
    {
        using var client = Platform.CreateGatewayClient(cookies: false);
        var (login, first) = await BrowserLoginAsync(client);
        var cookie = RefreshCookie(login)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.TryGetProperty("refreshToken", out _), Is.False, "the body holds no refresh token");
            Assert.That(cookie.HttpOnly, Is.True);
            Assert.That(cookie.Secure, Is.True, "127.0.0.1 is trustworthy to browsers: they keep a Secure cookie from it");
            Assert.That(cookie.SameSite, Is.EqualTo(SameSiteMode.Strict));
            Assert.That(cookie.Path.ToString(), Is.EqualTo("/api/auth"));
        }

        using var refreshed = await client.SendAsync(FromTheWebApp(HttpMethod.Post, "/api/auth/refresh", cookie.Value.ToString()));
        Assert.That(refreshed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await refreshed.Content.ReadAsStringAsync());
        var second = await refreshed.Content.ReadFromJsonAsync<JsonElement>();
        var nextCookie = RefreshCookie(refreshed)!.Value.ToString();
        using var me = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/auth/me", second.Access()));
        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(nextCookie, Is.Not.EqualTo(cookie.Value.ToString()));

        using var logout = await client.SendAsync(FromTheWebApp(HttpMethod.Post, "/api/auth/logout", nextCookie));
        using var afterLogout = await client.SendAsync(FromTheWebApp(HttpMethod.Post, "/api/auth/refresh", nextCookie));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(logout.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(RefreshCookie(logout)?.Expires, Is.LessThan(DateTimeOffset.UtcNow), "logout clears the cookie");
            Assert.That(afterLogout.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }
    }

    [TestCase(false, null, TestName = "ACookieRefreshWithoutTheCsrfHeaderIsRefusedAndSpendsNothing")]
    [TestCase(true, "https://evil.example", TestName = "ACookieRefreshFromAForeignOriginIsRefusedAndSpendsNothing")]
    [Category(HostileCategories.Suite), Category(HostileCategories.Http)]
    public async Task ACookieRefreshThatMayBeCrossSiteIsRefusedAndSpendsNothing(bool csrfHeader, string? origin)
    {
        using var client = Platform.CreateGatewayClient(cookies: false);
        var (login, _) = await BrowserLoginAsync(client);
        var cookie = RefreshCookie(login)!.Value.ToString();
        using var request = FromTheWebApp(HttpMethod.Post, "/api/auth/refresh", cookie);
        if (!csrfHeader)
        {
            request.Headers.Remove("X-WebIde-CSRF");
        }
        if (origin is not null)
        {
            request.Headers.Remove("Origin");
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        using var refused = await client.SendAsync(request);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(RefreshCookie(refused), Is.Null);
        }

        using var afterwards = await client.SendAsync(FromTheWebApp(HttpMethod.Post, "/api/auth/refresh", cookie));
        Assert.That(afterwards.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the refused request did not spend the refresh token");
    }

    [Test]
    public async Task ASpentCookiePresentedAgainEndsTheWholeSession()
    {
        using var client = Platform.CreateGatewayClient(cookies: false);
        var (login, first) = await BrowserLoginAsync(client);
        var firstCookie = RefreshCookie(login)!.Value.ToString();
        using var refreshed = await client.SendAsync(FromTheWebApp(HttpMethod.Post, "/api/auth/refresh", firstCookie));
        var secondCookie = RefreshCookie(refreshed)!.Value.ToString();

        using var replay = await client.SendAsync(FromTheWebApp(HttpMethod.Post, "/api/auth/refresh", firstCookie));
        using var newest = await client.SendAsync(FromTheWebApp(HttpMethod.Post, "/api/auth/refresh", secondCookie));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(newest.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the session's newest refresh token dies with it");
        }
    }

    private static async Task<(HttpResponseMessage Response, JsonElement Body)> BrowserLoginAsync(HttpClient client)
    {
        var username = Accounts.NewUsername("browser");
        using (var registered = await Accounts.RegisterAsync(client, username))
        {
            registered.EnsureSuccessStatusCode();
        }
        var request = FromTheWebApp(HttpMethod.Post, "/api/auth/login", cookie: null);
        request.Content = JsonContent.Create(new { username, password = Accounts.Password, refreshTokenCookie = true });
        var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(RefreshCookie(response), Is.Not.Null, "the login set the cookie");
        return (response, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>As the web app's fetch sends it: same origin, the CSRF header, the cookie.</summary>
    private static HttpRequestMessage FromTheWebApp(HttpMethod method, string path, string? cookie)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        var gateway = Platform.App.GetEndpoint("gateway", "http");
        request.Headers.TryAddWithoutValidation("Origin", $"{gateway.Scheme}://{gateway.Authority}");
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");
        request.Headers.TryAddWithoutValidation("X-WebIde-CSRF", "1");
        if (cookie is not null)
        {
            request.Headers.TryAddWithoutValidation("Cookie", $"{CookieName}={cookie}");
        }
        return request;
    }

    private static SetCookieHeaderValue? RefreshCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? SetCookieHeaderValue.ParseList([.. values]).SingleOrDefault(cookie => cookie.Name == CookieName)
            : null;
}
