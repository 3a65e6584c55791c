using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class Extensions
{
    /// <summary>
    /// What every WebIde process needs: telemetry to the dashboard, health, service
    /// discovery, resilient outgoing calls (trusting the internal CA when a deployment names one)
    /// and problem+json errors.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddDefaultProblemDetails();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        builder.AddInternalTls();

        return builder;
    }

    /// <summary>The name the AppHost gave this resource (<c>identity</c>, <c>gateway</c>…), as telemetry shows it.</summary>
    public static string GetServiceName(this IHostApplicationBuilder builder) =>
        builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;

    /// <summary>
    /// Error handling, then authentication, then the health endpoints. Authentication is placed
    /// here, after the status-code pages, so that its 401s and 403s become problem+json too.
    /// </summary>
    /// <param name="withDependencyHealth">False for the gateway, whose public <c>/health</c> is its own (minimal and cached).</param>
    public static WebApplication MapDefaultEndpoints(this WebApplication app, bool withDependencyHealth = true)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Unreadable input (malformed JSON, a wrong content type) is the caller's error, never a
            // 500; a dependency that is down is a 503 to retry, not a bug.
            StatusCodeSelector = exception => exception switch
            {
                BadHttpRequestException badRequest => badRequest.StatusCode,
                _ when DependencyFailures.IsDependencyDown(exception) => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        app.UseStatusCodePages();
        if (app.Services.GetService<IAuthenticationSchemeProvider>() is not null)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }
        app.MapHealthEndpoints(withDependencyHealth);
        return app;
    }
}
