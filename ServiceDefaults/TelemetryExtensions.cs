using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

public static class TelemetryExtensions
{
    /// <summary>Every WebIde ActivitySource and Meter starts with this, so one wildcard exports them all.</summary>
    public const string SourcePrefix = "WebIde.";

    private static readonly string[] NotTraced = ["/health", "/alive"];

    public static IHostApplicationBuilder ConfigureOpenTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("MassTransit")
                .AddMeter(SourcePrefix + "*"))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(SourcePrefix + "*")
                .AddSource("MassTransit")
                .AddAspNetCoreInstrumentation(aspnet =>
                    aspnet.Filter = context => !NotTraced.Any(path => context.Request.Path.StartsWithSegments(path)))
                .AddGrpcClientInstrumentation()
                // Query values (browsers' WebSocket access tokens) are redacted by these
                // instrumentations by default; nothing here may turn that off.
                .AddHttpClientInstrumentation(http => http.FilterHttpRequestMessage = request =>
                    request.RequestUri is null || !NotTraced.Any(path => request.RequestUri.AbsolutePath.StartsWith(path, StringComparison.Ordinal))));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }
}
