using Microsoft.AspNetCore.Http.HttpResults;

namespace WebIde.Identity.Apis;

/// <summary>
/// A request that reads or sets the refresh token cookie must come from the web app itself. It
/// carries <c>X-WebIde-CSRF: 1</c>, which a form, link or image on another site cannot send (and a
/// script there only after a CORS preflight that nothing here answers); and what the browser says
/// of where it came from, when it says it (<c>Sec-Fetch-Site</c>, <c>Origin</c>), names this site.
/// With the cookie's SameSite=Strict that makes two locks. A refused request changes nothing:
/// it is refused before any token is read.
/// </summary>
public static class CrossSiteRequestGuard
{
    public const string HeaderName = "X-WebIde-CSRF";

    /// <summary>A 403 problem saying why, or null when the request may use the cookie.</summary>
    public static ProblemHttpResult? Refusal(HttpRequest request)
    {
        if (request.Headers[HeaderName] != "1")
        {
            return Refuse($"A request that uses the refresh token cookie must carry the header {HeaderName}: 1.");
        }
        if (request.Headers["Sec-Fetch-Site"] is { Count: > 0 } site && site != "same-origin")
        {
            return Refuse("The request was started by another site.");
        }
        if (request.Headers.Origin is { Count: > 0 } origin && !IsThisHost(origin.ToString(), request.Host))
        {
            return Refuse("The request was started by another origin.");
        }
        return null;
    }

    /// <summary>
    /// The origin names the host and port the request was addressed to (the gateway's, from
    /// X-Forwarded-Host). The scheme is not compared: behind a TLS proxy that the gateway does not
    /// trust with X-Forwarded-Proto, the gateway sees http where the browser sent https.
    /// </summary>
    private static bool IsThisHost(string origin, HostString host) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && uri.Host.Equals(host.Host, StringComparison.OrdinalIgnoreCase)
        && (host.Port is { } port ? uri.Port == port : uri.IsDefaultPort);

    private static ProblemHttpResult Refuse(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Cross-site request refused");
}
