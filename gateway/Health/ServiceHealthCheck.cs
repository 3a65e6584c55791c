using System.Net.Http.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WebIde.Gateway.Health;

/// <summary>
/// Asks a service's own <c>/health</c>, which checks that service's dependencies, and
/// carries their states up into the gateway's answer.
/// </summary>
public sealed class ServiceHealthCheck(IHttpClientFactory httpClientFactory, string service) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var client = httpClientFactory.CreateClient(ServiceHealthExtensions.ProbeClient);
            using var response = await client.GetAsync(new Uri(ServiceAddress.Http(service), "/health"), cancellationToken);
            var document = await response.Content.ReadFromJsonAsync<HealthDocument>(HealthDocument.SerializerOptions, cancellationToken);
            var dependencies = document?.Entries.ToDictionary(entry => entry.Key, entry => (object)entry.Value.Status) ?? [];

            return response.IsSuccessStatusCode && document?.Status == nameof(HealthStatus.Healthy)
                ? HealthCheckResult.Healthy(service, dependencies)
                : new HealthCheckResult(context.Registration.FailureStatus, $"{service}: {Describe(document)}", data: dependencies);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{service} does not answer", exception);
        }
    }

    private static string Describe(HealthDocument? document) =>
        document is null
            ? "no health report"
            : string.Join("; ", document.Entries
                .Where(entry => entry.Value.Status != nameof(HealthStatus.Healthy))
                .Select(entry => $"{entry.Key} {entry.Value.Status}: {entry.Value.Description}"));
}
