using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

public static class HealthExtensions
{
    /// <summary>Checks tagged with this only say the process runs (<c>/alive</c>).</summary>
    public const string LiveTag = "live";

    public static IHostApplicationBuilder AddDefaultHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// <c>/health</c> checks every dependency and answers JSON that the gateway aggregates;
    /// <c>/alive</c> only says the process answers. Both are for the platform, not the public:
    /// the gateway routes neither.
    /// </summary>
    public static WebApplication MapHealthEndpoints(this WebApplication app, bool withDependencyHealth = true)
    {
        if (withDependencyHealth)
        {
            app.MapHealthChecks("/health", new HealthCheckOptions
            {
                ResponseWriter = WriteJsonAsync,
                // As StatusCodeOf says.
                ResultStatusCodes =
                {
                    [HealthStatus.Healthy] = StatusCodes.Status200OK,
                    [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                    [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
                },
            });
        }
        app.MapHealthChecks("/alive", new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
            ResponseWriter = WriteJsonAsync,
        });
        return app;
    }

    /// <summary>Up means every dependency is fully up: a degraded one fails the check too.</summary>
    public static int StatusCodeOf(HealthStatus status) =>
        status == HealthStatus.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;

    public static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return JsonSerializer.SerializeAsync(context.Response.Body, HealthDocument.From(report), HealthDocument.SerializerOptions, context.RequestAborted);
    }
}
