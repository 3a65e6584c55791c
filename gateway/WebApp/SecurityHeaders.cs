namespace WebIde.Gateway.WebApp;

/// <summary>
/// Headers on every response of the gateway that tell a browser what the app may do (docs/api.md §7): scripts only
/// from the app's own files (no inline script, no eval, so an injected one does not run), connections only to this
/// origin (the REST API and the sockets), never framed by another site (clickjacking), no type guessing of a download,
/// no referrer leaving for other sites. Styles may be inline: Monaco and xterm set them from script. Over HTTPS
/// (<c>./webide up --tls</c>, or a TLS proxy in front), HSTS: a browser that has been here once comes back over HTTPS
/// only, so no one on the network can turn its next visit into plain HTTP. Never over plain HTTP, where RFC 6797 has
/// browsers ignore it.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>A year, as mature sites send it; not for subdomains, which are not the platform's to speak for.</summary>
    public const string StrictTransportSecurity = "max-age=31536000";

    public Task InvokeAsync(HttpContext context)
    {
        // As the response starts: after a proxied service's own headers were copied (a file download has its
        // nosniff already), so each header is there once, with the gateway's value.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            headers.XFrameOptions = "DENY";
            if (context.Request.IsHttps)
            {
                headers.StrictTransportSecurity = StrictTransportSecurity;
            }
            return Task.CompletedTask;
        });
        return next(context);
    }
}
