using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WebIde.AppHost.Infrastructure;

/// <summary>
/// Healthy when the process behind an endpoint answers a request of its own protocol. A bare
/// connect proves nothing here: the orchestrator's proxy accepts before the process is up.
/// The reply is read until it is the expected one (a pipelined request's answers may arrive in
/// several reads), the peer closes, or three seconds pass.
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
        var reply = new byte[256];
        var read = 0;
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(request, timeout.Token);

            while (read < reply.Length)
            {
                var count = await stream.ReadAsync(reply.AsMemory(read), timeout.Token);
                if (count == 0)
                {
                    break;
                }
                read += count;
                if (isExpectedReply(reply.AsMemory(0, read)))
                {
                    return HealthCheckResult.Healthy();
                }
            }
            return Unexpected();
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException)
        {
            return read > 0 ? Unexpected() : HealthCheckResult.Unhealthy($"no reply from {endpoint.Url}", exception);
        }
    }

    private HealthCheckResult Unexpected() => HealthCheckResult.Unhealthy($"unexpected reply from {endpoint.Url}");
}
