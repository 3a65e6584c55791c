using System.Net;

namespace WebIde.Identity.Apis;

/// <summary>
/// docs/api.md §1, sessions of the web app: its refresh token lives in this cookie, out of reach
/// of scripts (HttpOnly), sent only with the auth calls (Path), never with a request another site
/// starts (SameSite=Strict), and only over TLS where the browser has it (Secure).
/// </summary>
public static class RefreshTokenCookie
{
    public const string Name = "webide_refresh";
    public const string Path = "/api/auth";

    public static string? Read(HttpRequest request) =>
        request.Cookies.TryGetValue(Name, out var token) && !string.IsNullOrEmpty(token) ? token : null;

    public static void Set(HttpContext context, string refreshToken, DateTimeOffset expiresAt) =>
        context.Response.Cookies.Append(Name, refreshToken, Options(context.Request, expiresAt));

    public static void Clear(HttpContext context) =>
        context.Response.Cookies.Delete(Name, Options(context.Request, expires: null));

    /// <summary>
    /// Secure, except when the browser reached the platform over plain HTTP on a name that is not
    /// loopback: a browser drops a Secure cookie set over plain HTTP (it keeps one from
    /// http://localhost or http://127.0.0.1, which it deems trustworthy), and the web app could
    /// not stay signed in. Such a deployment sends the cookie in the clear either way, as it sends
    /// every token. The scheme and host are the gateway's (X-Forwarded-Proto, X-Forwarded-Host).
    /// </summary>
    public static bool IsSecureFor(HttpRequest request) => request.IsHttps || IsLoopback(request.Host.Host);

    private static CookieOptions Options(HttpRequest request, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = IsSecureFor(request),
        SameSite = SameSiteMode.Strict,
        Path = Path,
        Expires = expires,
        IsEssential = true,
    };

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
