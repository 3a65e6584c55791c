using Microsoft.AspNetCore.Http.Features;
using WebIde.Gateway.RateLimiting;
using Yarp.ReverseProxy.Forwarder;

namespace WebIde.Gateway.Routing;

/// <summary>
/// When the proxy cannot reach a service (every instance down or marked down, a refused or dropped
/// connection, no answer in time) and nothing has been sent yet, the client gets what docs/api.md
/// promises for a dependency that is down: 503 problem+json with <c>Retry-After</c>, or gRPC's
/// UNAVAILABLE. YARP's own answer is a bare 502, 503 or 504 with no body.
/// </summary>
public static class UnreachableService
{
    /// <summary>gRPC's <c>UNAVAILABLE</c>: try again, the service is (briefly) down.</summary>
    public const int GrpcUnavailable = 14;

    public static async Task AnswerAsync(HttpContext context, Func<Task> next)
    {
        await next();
        if (context.Response.HasStarted
            || context.Features.Get<IForwarderErrorFeature>() is not { } failure
            || failure.Error is ForwarderError.None or ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient or ForwarderError.UpgradeRequestCanceled)
        {
            return;
        }

        context.Response.Clear();
        var retryAfter = TimeSpan.FromSeconds(DependencyFailures.RetryAfterSeconds);
        if (GrpcCall.Is(context.Request))
        {
            GrpcCall.Refuse(context.Response, GrpcUnavailable, "The service is unavailable; try again shortly.", retryAfter);
            return;
        }
        await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable").ExecuteAsync(context);
    }
}
