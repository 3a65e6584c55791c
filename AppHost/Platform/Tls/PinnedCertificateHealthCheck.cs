using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WebIde.AppHost.Platform.Tls;

/// <summary>
/// Healthy when an HTTPS endpoint answers <paramref name="path"/> with 200 under exactly the certificate it was
/// given. The AppHost does not trust the platform's own CA (nor need a given certificate to name the loopback
/// address it probes): it checks that its own process answers, with the certificate it handed it.
/// </summary>
internal sealed class PinnedCertificateHealthCheck(EndpointReference endpoint, string path, X509Certificate2 expected) : IHealthCheck, IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(expected.RawData) },
    })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var address = new Uri(new Uri(endpoint.Url), path);
        try
        {
            using var response = await _client.GetAsync(address, cancellationToken);
            return response.StatusCode == HttpStatusCode.OK
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"{address} answered {(int)response.StatusCode}");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return HealthCheckResult.Unhealthy($"no answer from {address}", exception);
        }
    }

    public void Dispose() => _client.Dispose();
}
