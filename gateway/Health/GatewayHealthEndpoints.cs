using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace WebIde.Gateway.Health;

/// <summary>
/// <c>GET /health</c> for anyone: <c>{status}</c>, 200 or 503, from the shared round of checks.
/// <c>GET /health/details</c> for operators (<see cref="OperatorKey"/>): every service with its dependencies and
/// what went wrong, from the same round.
/// </summary>
public static class GatewayHealthEndpoints
{
    /// <summary>When a client should ask again after a 503, as every other 503 of the platform says (docs/api.md §0).</summary>
    private const int RetryAfterSeconds = 5;

    public static WebApplication MapGatewayHealth(this WebApplication app)
    {
        app.MapGet("/health", PublicAsync).ExcludeFromDescription();
        app.MapGet("/health/details", DetailsAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task PublicAsync(HttpContext context, CachedHealthReport health)
    {
        var report = await health.GetAsync().WaitAsync(context.RequestAborted);
        Prepare(context, report.Status);
        await context.Response.WriteAsJsonAsync(new PublicHealth(report.Status.ToString()), HealthDocument.SerializerOptions, context.RequestAborted);
    }

    private static async Task DetailsAsync(HttpContext context, CachedHealthReport health, IOptions<GatewayHealthOptions> options)
    {
        if (!OperatorKey.Matches(options.Value.OperatorKey, context.Request.Headers[OperatorKey.Header]))
        {
            await Results.Problem(
                detail: $"The health of each service is for operators: send the installation's operator key as {OperatorKey.Header}.",
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Operator key needed").ExecuteAsync(context);
            return;
        }

        var report = await health.GetAsync().WaitAsync(context.RequestAborted);
        Prepare(context, report.Status);
        await HealthExtensions.WriteJsonAsync(context, report);
    }

    private static void Prepare(HttpContext context, HealthStatus status)
    {
        context.Response.StatusCode = HealthExtensions.StatusCodeOf(status);
        context.Response.Headers.CacheControl = "no-store";
        if (status != HealthStatus.Healthy)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }
    }
}
