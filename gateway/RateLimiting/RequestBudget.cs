using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace WebIde.Gateway.RateLimiting;

/// <summary>
/// A per-caller budget on the whole API, counted in Redis in one-minute windows so that it
/// holds across any number of gateway instances. A caller with a valid token is counted by
/// user, anyone else by address. REST calls, WebSockets and gRPC calls draw on the same budget,
/// each call or socket once; over it, each is refused in its own protocol's form. When Redis
/// cannot be reached the request goes through at once: an outage of the counter must not
/// become an outage of the IDE.
/// </summary>
/// <remarks>
/// Every gRPC call counts, the health service and server reflection included: both are served
/// by the execution service behind the gateway, neither needs a token, and a caller looping on
/// either would otherwise cost it without limit. The budget is wide enough for a client that
/// checks health or reflects now and then (grpcurl reflects once per invocation).
/// </remarks>
public sealed class RequestBudget(RequestDelegate next, IConnectionMultiplexer redis, IOptions<RequestBudgetOptions> options, TimeProvider time, ILogger<RequestBudget> logger)
{
    private static readonly PathString[] BudgetedPaths = ["/api", "/ws"];

    public async Task InvokeAsync(HttpContext context)
    {
        var grpc = GrpcCall.Is(context.Request);
        if (!(grpc || BudgetedPaths.Any(prefix => context.Request.Path.StartsWithSegments(prefix))) || !redis.IsConnected)
        {
            await next(context);
            return;
        }

        var user = context.User.FindFirstValue("sub");
        var (caller, limit) = user is not null
            ? ($"user:{user}", options.Value.PerUserPerMinute)
            : ($"address:{context.Connection.RemoteIpAddress}", options.Value.PerAnonymousAddressPerMinute);

        var now = time.GetUtcNow();
        var window = now.ToUnixTimeSeconds() / 60;
        long used;
        try
        {
            var key = $"webide:budget:{caller}:{window}";
            var database = redis.GetDatabase();
            used = await database.StringIncrementAsync(key);
            if (used == 1)
            {
                await database.KeyExpireAsync(key, TimeSpan.FromMinutes(2));
            }
        }
        // A stalled server answers with RedisTimeoutException: a TimeoutException, not a RedisException.
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning(exception, "The request budget could not be counted; letting the request through");
            await next(context);
            return;
        }

        if (used > limit)
        {
            var retryAfter = 60 - (now.ToUnixTimeSeconds() % 60);
            var detail = $"At most {limit} requests a minute; try again in {retryAfter} s.";
            if (grpc)
            {
                // A gRPC client reads neither an HTTP status nor a problem body: the status goes in grpc-status.
                GrpcCall.Refuse(context.Response, GrpcCall.ResourceExhausted, detail, TimeSpan.FromSeconds(retryAfter));
                return;
            }
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            await Results.Problem(
                detail: detail,
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many requests").ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
