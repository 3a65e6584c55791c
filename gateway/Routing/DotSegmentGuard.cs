using Microsoft.AspNetCore.Http.Features;

namespace WebIde.Gateway.Routing;

/// <summary>
/// Refuses a request whose target holds a <c>.</c> or <c>..</c> segment, plain or
/// percent-encoded (<c>%2e%2e</c>), or separated by <c>%2F</c> or a backslash. Kestrel would
/// otherwise resolve <c>files/a/../b</c> to <c>files/b</c> before routing, and the services
/// would act on a path the client never named instead of answering that it is invalid.
/// </summary>
public sealed class DotSegmentGuard(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        var query = target.IndexOf('?');
        var path = query >= 0 ? target[..query] : target;
        if (!HasDotSegment(path))
        {
            await next(context);
            return;
        }

        await Results.Problem(
            detail: "The path may not contain '.' or '..' segments.",
            statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid path").ExecuteAsync(context);
    }

    public static bool HasDotSegment(string rawPath)
    {
        var decoded = Uri.UnescapeDataString(rawPath);
        return decoded.Split('/', '\\').Any(segment => segment is "." or "..");
    }
}
