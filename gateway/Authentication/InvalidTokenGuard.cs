using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;

namespace WebIde.Gateway.Authentication;

/// <summary>
/// A request that carries a token the gateway cannot verify — forged, expired, of an ended
/// session — stops here with 401, before it reaches any service. A request without a token
/// goes on: each service decides what an anonymous caller may do. A language server's socket is let
/// through with its token to execution, which checks it too: docs/api.md §6 answers a bad token with
/// the close code 4001, and only an opened socket can carry one.
/// </summary>
public sealed class InvalidTokenGuard(RequestDelegate next)
{
    private static readonly PathString[] Guarded = ["/api", "/ws"];

    public async Task InvokeAsync(HttpContext context)
    {
        if (!Guarded.Any(prefix => context.Request.Path.StartsWithSegments(prefix))
            || IsLanguageServerSocket(context.Request)
            // The handler keeps its result for the request: this reads what authentication found.
            || (await context.AuthenticateAsync()).Failure is null)
        {
            await next(context);
            return;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        await Results.Problem(
            detail: "The access token is not valid: it may have expired or its session has ended.",
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized").ExecuteAsync(context);
    }

    // A socket over HTTP/1.1 (Upgrade) or over HTTP/2 (extended CONNECT, which browsers may use over TLS). The gateway
    // has no WebSockets middleware (YARP forwards sockets itself), so HttpContext.WebSockets cannot tell.
    private static bool IsLanguageServerSocket(HttpRequest request) =>
        request.Path.StartsWithSegments("/ws/lsp")
        && (request.Headers.Upgrade.ToString().Equals("websocket", StringComparison.OrdinalIgnoreCase)
            || request.HttpContext.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true, Protocol: var protocol }
                && protocol.Equals("websocket", StringComparison.OrdinalIgnoreCase));
}
