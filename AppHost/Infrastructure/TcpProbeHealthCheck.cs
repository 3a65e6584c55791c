using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WebIde.AppHost.Infrastructure;

/// <summary>
/// Healthy when the process behind an endpoint answers a request of its own protocol. A bare
/// connect proves nothing here: the orchestrator's proxy accepts before the process is up.
/// </summary>
internal sealed class TcpProbeHealthCheck(
    EndpointReference endpoint,
    ReadOnlyMemory<byte> request,
    Func<ReadOnlyMemory<byte>, bool> isExpectedReply) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(request, timeout.Token);

            var reply = new byte[256];
            var read = await stream.ReadAtLeastAsync(reply, 1, throwOnEndOfStream: false, timeout.Token);
            return read > 0 && isExpectedReply(reply.AsMemory(0, read))
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"unexpected reply from {endpoint.Url}");
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"no reply from {endpoint.Url}", exception);
        }
    }
}
