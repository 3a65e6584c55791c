using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Transforms;

namespace WebIde.Gateway.Routing;

/// <summary>
/// Forwards the request target as the client sent it. YARP would rebuild it from Kestrel's
/// decoded path, which is lossy: Kestrel leaves <c>%2F</c>, broken escapes and escapes that
/// are not UTF-8 as they were, and YARP then escapes their <c>%</c>, so <c>a%2Fb</c> or
/// <c>%C3%28</c> would reach a service as the literal names <c>a%2Fb</c> and <c>%C3(</c>
/// instead of the path the client meant (or an invalid one). Services that read the target
/// themselves (the file API does) must see what the client wrote. Dot segments never get
/// this far (<see cref="DotSegmentGuard"/>); a target with anything outside the URI
/// characters is left to YARP's own encoding.
/// </summary>
public static class RawTargetForwarding
{
    // RFC 3986 pchar, '/', '?' and '%': what a well-formed origin-form target is made of.
    private static readonly SearchValues<char> TargetCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?%");

    public static ValueTask ApplyAsync(RequestTransformContext context)
    {
        var raw = context.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is not { Length: > 1 } || raw[0] != '/' || raw[1] == '/'
            || raw.AsSpan().ContainsAnyExcept(TargetCharacters)
            // Another transform rewrote the path or query: its result stands.
            || context.Path != context.HttpContext.Request.Path
            || context.Query.QueryString != context.HttpContext.Request.QueryString)
        {
            return ValueTask.CompletedTask;
        }

        var prefix = context.DestinationPrefix.TrimEnd('/');
        context.ProxyRequest.RequestUri = new Uri(prefix + raw, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        return ValueTask.CompletedTask;
    }
}
