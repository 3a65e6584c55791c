using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace WebIde.Gateway.Health;

public static class ServiceHealthExtensions
{
    public const string ProbeClient = "health-probe";

    public static IHostApplicationBuilder AddServiceHealthChecks(this IHostApplicationBuilder builder, IEnumerable<string> services)
    {
        // A probe answers now or counts as down; the retries of the standard resilience
        // handler would hold the gateway's /health for half a minute instead.
#pragma warning disable EXTEXP0001 // Experimental, and the only way to opt one client out of the defaults.
        builder.Services.AddHttpClient(ProbeClient, client => client.Timeout = TimeSpan.FromSeconds(5))
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        builder.Services.AddOptions<GatewayHealthOptions>()
            .Bind(builder.Configuration.GetSection(GatewayHealthOptions.Section))
            .Validate(
                options => options.OperatorKey.Length is 0 or >= GatewayHealthOptions.MinOperatorKeyLength,
                $"{GatewayHealthOptions.Section}:{nameof(GatewayHealthOptions.OperatorKey)} is at least {GatewayHealthOptions.MinOperatorKeyLength} characters.")
            .ValidateOnStart();
        builder.Services.AddSingleton(provider =>
        {
            var service = provider.GetRequiredService<HealthCheckService>();
            // No caller's cancellation: the round is everyone's, and each probe has a timeout of its own.
            return new CachedHealthReport(
                () => service.CheckHealthAsync(CancellationToken.None),
                provider.GetRequiredService<IOptions<GatewayHealthOptions>>(),
                provider.GetRequiredService<TimeProvider>());
        });

        var checks = builder.Services.AddHealthChecks();
        foreach (var service in services)
        {
            checks.Add(new HealthCheckRegistration(
                service,
                provider => new ServiceHealthCheck(provider.GetRequiredService<IHttpClientFactory>(), service),
                HealthStatus.Unhealthy,
                ["ready"]));
        }

        return builder;
    }
}
