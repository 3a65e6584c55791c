using Microsoft.Extensions.Diagnostics.HealthChecks;

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
