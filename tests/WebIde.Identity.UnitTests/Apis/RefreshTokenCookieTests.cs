using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace WebIde.Identity.UnitTests.Apis;

/// <summary>
/// docs/api.md §1, the web app's sessions: the refresh token in an HttpOnly, Secure,
/// SameSite=Strict cookie on /api/auth, read by refresh and logout only with the CSRF header and
/// from this site; a refused request spends nothing. Scripts keep the token in the body as before.
/// </summary>
internal sealed class RefreshTokenCookieTests : IdentityHostFixture
{
    private static readonly Dictionary<string, string> FromTheWebApp = new()
    {
        ["X-WebIde-CSRF"] = "1",
        ["Origin"] = "http://127.0.0.1:8080",
        ["Sec-Fetch-Site"] = "same-origin",
    };

    [Test]
    public async Task ABrowserLoginSetsTheCookieAndLeavesTheRefreshTokenOutOfTheBody()
    {
        var username = await Identity.NewUserAsync();

        var login = await Identity.SendAsync("POST", "/api/auth/login", new { username, password = IdentityHost.Password, refreshTokenCookie = true }, FromTheWebApp);

        var cookie = login.RefreshCookie;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(login.Status, Is.EqualTo(StatusCodes.Status200OK), login.Body);
            Assert.That(login.Json.TryGetProperty("refreshToken", out _), Is.False, "the body holds no refresh token");
            Assert.That(login.Json.GetProperty("accessToken").GetString(), Is.Not.Empty);
            Assert.That(cookie, Is.Not.Null);
            Assert.That(cookie!.Value.Length, Is.GreaterThan(40));
            Assert.That(cookie.HttpOnly, Is.True);
            Assert.That(cookie.Secure, Is.True, "http://127.0.0.1 is trustworthy to browsers: they keep a Secure cookie from it");
            Assert.That(cookie.SameSite, Is.EqualTo(Microsoft.Net.Http.Headers.SameSiteMode.Strict));
            Assert.That(cookie.Path.ToString(), Is.EqualTo("/api/auth"));
            Assert.That(cookie.Expires, Is.GreaterThan(DateTimeOffset.UtcNow.AddDays(29)).And.LessThan(DateTimeOffset.UtcNow.AddDays(31)), "as long as the session");
        }
    }

    [TestCase("http", "127.0.0.1:8080", true)]
    [TestCase("http", "localhost:8080", true)]
    [TestCase("http", "[::1]:8080", true)]
    [TestCase("https", "ide.example", true)]
    [TestCase("https", "203.0.113.7:8443", true)]
    [TestCase("http", "ide.example", false)]
    [TestCase("http", "192.168.1.20:8080", false)]
    public async Task TheCookieIsSecureUnlessTheBrowserCameOverPlainHttpToAHostThatIsNotLoopback(string scheme, string host, bool secure)
    {
        var username = await Identity.NewUserAsync();
        var headers = new Dictionary<string, string>
        {
            ["X-WebIde-CSRF"] = "1",
            ["Origin"] = $"{scheme}://{host}",
            // As the gateway forwards what it was reached at.
            ["X-Forwarded-Proto"] = scheme,
            ["X-Forwarded-Host"] = host,
            ["X-Forwarded-For"] = "127.0.0.1",
        };

        var login = await Identity.SendAsync("POST", "/api/auth/login", new { username, password = IdentityHost.Password, refreshTokenCookie = true }, headers, host: "localhost:5101");

        Assert.That(login.Status, Is.EqualTo(StatusCodes.Status200OK), login.Body);
        Assert.That(login.RefreshCookie?.Secure, Is.EqualTo(secure));
    }

    [Test]
    public async Task AScriptLoginIsAnsweredAsBeforeWithoutACookie()
    {
        var username = await Identity.NewUserAsync();

        var login = await Identity.SendAsync("POST", "/api/auth/login", new { username, password = IdentityHost.Password });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(login.Status, Is.EqualTo(StatusCodes.Status200OK));
            Assert.That(login.Json.GetProperty("refreshToken").GetString(), Is.Not.Empty);
            Assert.That(login.Headers.SetCookie, Is.Empty);
        }
    }

    [Test]
    public async Task ABrowserLoginWithoutTheCsrfHeaderIsRefusedAndStartsNoSession()
    {
        var username = await Identity.NewUserAsync();

        var login = await Identity.SendAsync("POST", "/api/auth/login", new { username, password = IdentityHost.Password, refreshTokenCookie = true });

        AssertRefused(login);
    }

    [Test]
    public async Task RefreshingWithTheCookieSetsANewOneAndTheOldIsSpent()
    {
        var first = await BrowserLoginAsync();

        var refreshed = await RefreshWithCookieAsync(first, FromTheWebApp);
        var second = refreshed.RefreshCookie?.Value.ToString();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refreshed.Status, Is.EqualTo(StatusCodes.Status200OK), refreshed.Body);
            Assert.That(refreshed.Json.TryGetProperty("refreshToken", out _), Is.False);
            Assert.That(refreshed.Json.GetProperty("accessToken").GetString(), Is.Not.Empty);
            Assert.That(second, Is.Not.Null.And.Not.EqualTo(first));
            Assert.That(refreshed.RefreshCookie!.HttpOnly && refreshed.RefreshCookie.Secure, Is.True);
        }
        Assert.That((await RefreshWithCookieAsync(second!, FromTheWebApp)).Status, Is.EqualTo(StatusCodes.Status200OK));
    }

    [Test]
    public async Task ASpentCookiePresentedAgainEndsTheWholeSession()
    {
        var first = await BrowserLoginAsync();
        var second = (await RefreshWithCookieAsync(first, FromTheWebApp)).RefreshCookie!.Value.ToString();

        var replay = await RefreshWithCookieAsync(first, FromTheWebApp);
        var newest = await RefreshWithCookieAsync(second, FromTheWebApp);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(replay.Status, Is.EqualTo(StatusCodes.Status401Unauthorized));
            Assert.That(replay.RefreshCookie?.Expires, Is.LessThan(DateTimeOffset.UtcNow), "the dead cookie is cleared");
            Assert.That(newest.Status, Is.EqualTo(StatusCodes.Status401Unauthorized), "the session's newest token dies with it");
        }
    }

    [TestCase(null, null, null, TestName = "without the CSRF header")]
    [TestCase("0", null, null, TestName = "with the CSRF header not 1")]
    [TestCase("1", "https://evil.example", null, TestName = "from a foreign origin")]
    [TestCase("1", "http://127.0.0.1:9999", null, TestName = "from another port")]
    [TestCase("1", "null", null, TestName = "from an opaque origin")]
    [TestCase("1", null, "cross-site", TestName = "started by another site")]
    [TestCase("1", null, "same-site", TestName = "started by a sibling site")]
    public async Task ACookieRefreshThatMayBeCrossSiteIsRefusedAndDoesNotSpendTheToken(string? csrf, string? origin, string? fetchSite)
    {
        var token = await BrowserLoginAsync();
        var headers = new Dictionary<string, string>();
        if (csrf is not null)
        {
            headers["X-WebIde-CSRF"] = csrf;
        }
        if (origin is not null)
        {
            headers["Origin"] = origin;
        }
        if (fetchSite is not null)
        {
            headers["Sec-Fetch-Site"] = fetchSite;
        }

        var refused = await RefreshWithCookieAsync(token, headers);
        AssertRefused(refused);

        var afterwards = await RefreshWithCookieAsync(token, FromTheWebApp);
        Assert.That(afterwards.Status, Is.EqualTo(StatusCodes.Status200OK), "the refused request spent nothing");
    }

    /// <summary>What a page of another site can send without a preflight: a form's plain-text POST, with the cookie were SameSite not to stop it.</summary>
    [Test]
    public async Task AFormPostFromAnotherSiteIsRefusedAndDoesNotSpendTheToken()
    {
        var token = await BrowserLoginAsync();

        var refused = await Identity.SendAsync("POST", "/api/auth/refresh", headers: WithCookie(token, new Dictionary<string, string>
        {
            ["Origin"] = "https://evil.example",
            ["Sec-Fetch-Site"] = "cross-site",
        }), textBody: "refreshToken=x");

        Assert.That(refused.Status, Is.AnyOf(StatusCodes.Status403Forbidden, StatusCodes.Status415UnsupportedMediaType), refused.Body);
        Assert.That(refused.Headers.SetCookie, Is.Empty);
        Assert.That((await RefreshWithCookieAsync(token, FromTheWebApp)).Status, Is.EqualTo(StatusCodes.Status200OK), "the refused request spent nothing");
    }

    [Test]
    public async Task ARefreshTokenInTheBodyIsAnsweredInTheBodyWhateverTheCookie()
    {
        var username = await Identity.NewUserAsync();
        var login = await Identity.SendAsync("POST", "/api/auth/login", new { username, password = IdentityHost.Password });
        var cookie = await BrowserLoginAsync(username);

        var refreshed = await Identity.SendAsync("POST", "/api/auth/refresh", new { refreshToken = login.Json.GetProperty("refreshToken").GetString() },
            new Dictionary<string, string> { ["Cookie"] = $"webide_refresh={cookie}" });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refreshed.Status, Is.EqualTo(StatusCodes.Status200OK));
            Assert.That(refreshed.Json.GetProperty("refreshToken").GetString(), Is.Not.Empty);
            Assert.That(refreshed.Headers.SetCookie, Is.Empty);
        }
        Assert.That((await RefreshWithCookieAsync(cookie, FromTheWebApp)).Status, Is.EqualTo(StatusCodes.Status200OK), "the cookie was not touched");
    }

    [Test]
    public async Task ARefreshWithNeitherBodyNorCookieIs401()
    {
        var refreshed = await Identity.SendAsync("POST", "/api/auth/refresh", headers: FromTheWebApp);

        Assert.That(refreshed.Status, Is.EqualTo(StatusCodes.Status401Unauthorized));
        Assert.That(refreshed.Headers.ContentType.ToString(), Does.StartWith("application/problem+json"));
    }

    [Test]
    public async Task LogoutWithTheCookieEndsTheSessionAndClearsTheCookie()
    {
        var token = await BrowserLoginAsync();

        var logout = await Identity.SendAsync("POST", "/api/auth/logout", headers: WithCookie(token, FromTheWebApp));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(logout.Status, Is.EqualTo(StatusCodes.Status204NoContent), logout.Body);
            Assert.That(logout.RefreshCookie?.Value.ToString(), Is.Empty);
            Assert.That(logout.RefreshCookie?.Expires, Is.LessThan(DateTimeOffset.UtcNow));
            Assert.That(logout.RefreshCookie?.Path.ToString(), Is.EqualTo("/api/auth"));
        }
        Assert.That((await RefreshWithCookieAsync(token, FromTheWebApp)).Status, Is.EqualTo(StatusCodes.Status401Unauthorized));
    }

    [Test]
    public async Task LogoutWithTheCookieButWithoutTheCsrfHeaderIsRefusedAndTheSessionLives()
    {
        var token = await BrowserLoginAsync();

        var logout = await Identity.SendAsync("POST", "/api/auth/logout", headers: WithCookie(token, new Dictionary<string, string> { ["Origin"] = "http://127.0.0.1:8080" }));

        AssertRefused(logout);
        Assert.That((await RefreshWithCookieAsync(token, FromTheWebApp)).Status, Is.EqualTo(StatusCodes.Status200OK));
    }

    [Test]
    public async Task LogoutWithTheBearerTokenStillWorksAndClearsTheCookie()
    {
        var username = await Identity.NewUserAsync();
        var login = await Identity.SendAsync("POST", "/api/auth/login", new { username, password = IdentityHost.Password });

        var logout = await Identity.SendAsync("POST", "/api/auth/logout", headers: new Dictionary<string, string> { ["Authorization"] = $"Bearer {login.Json.GetProperty("accessToken").GetString()}" });

        Assert.That(logout.Status, Is.EqualTo(StatusCodes.Status204NoContent));
        Assert.That(logout.RefreshCookie?.Expires, Is.LessThan(DateTimeOffset.UtcNow));
    }

    [Test]
    public async Task LogoutWithNeitherTokenNorCookieIs401WithTheBearerChallenge()
    {
        var logout = await Identity.SendAsync("POST", "/api/auth/logout", headers: FromTheWebApp);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(logout.Status, Is.EqualTo(StatusCodes.Status401Unauthorized));
            Assert.That(logout.Headers.WWWAuthenticate.ToString(), Does.StartWith("Bearer"));
            Assert.That(logout.Headers.ContentType.ToString(), Does.StartWith("application/problem+json"));
        }
    }

    private async Task<string> BrowserLoginAsync(string? username = null)
    {
        username ??= await Identity.NewUserAsync();
        var login = await Identity.SendAsync("POST", "/api/auth/login", new { username, password = IdentityHost.Password, refreshTokenCookie = true }, FromTheWebApp);
        Assert.That(login.Status, Is.EqualTo(StatusCodes.Status200OK), login.Body);
        return login.RefreshCookie!.Value.ToString();
    }

    private Task<Answer> RefreshWithCookieAsync(string cookie, IReadOnlyDictionary<string, string> headers) =>
        Identity.SendAsync("POST", "/api/auth/refresh", headers: WithCookie(cookie, headers));

    private static Dictionary<string, string> WithCookie(string cookie, IReadOnlyDictionary<string, string> headers) =>
        new(headers) { ["Cookie"] = $"webide_refresh={cookie}" };

    private static void AssertRefused(Answer answer)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.Status, Is.EqualTo(StatusCodes.Status403Forbidden), answer.Body);
            Assert.That(answer.Headers.ContentType.ToString(), Does.StartWith("application/problem+json"));
            Assert.That(answer.Json.GetProperty("detail").GetString(), Is.Not.Empty);
            Assert.That(answer.Headers.SetCookie, Is.Empty, "a refused request sets and clears no cookie");
        }
    }
}
