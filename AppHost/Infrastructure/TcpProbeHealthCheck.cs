using System.Net.Sockets;
using System.Runtime.CompilerServices;
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
        var read = new StrongBox<int>();
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            return await ProbeReply.ExchangeAsync(client.GetStream(), request, isExpectedReply, read, timeout.Token)
                ? HealthCheckResult.Healthy()
                : Unexpected();
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException)
        {
            return read.Value > 0 ? Unexpected() : HealthCheckResult.Unhealthy($"no reply from {endpoint.Url}", exception);
        }
    }

    private HealthCheckResult Unexpected() => HealthCheckResult.Unhealthy($"unexpected reply from {endpoint.Url}");
}
