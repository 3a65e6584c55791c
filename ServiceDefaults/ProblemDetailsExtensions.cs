using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class ProblemDetailsExtensions
{
    /// <summary>
    /// Every error a WebIde process answers is problem+json (RFC 9457), naming the service
    /// that answered and the trace to look up in the dashboard.
    /// </summary>
    public static IHostApplicationBuilder AddDefaultProblemDetails(this IHostApplicationBuilder builder)
    {
        var service = builder.GetServiceName();
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions["service"] = service;
            context.ProblemDetails.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
            if (context.ProblemDetails.Status == StatusCodes.Status503ServiceUnavailable)
            {
                context.ProblemDetails.Detail ??= "A service this request needs is unavailable; try again shortly.";
                context.HttpContext.Response.Headers.RetryAfter = DependencyFailures.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            }
        });
        return builder;
    }
}
