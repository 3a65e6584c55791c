using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WebIde.AppHost.Infrastructure;

namespace WebIde.AppHost.Sandbox;

/// <summary>
/// Healthy when the process listening on a Unix socket answers a request of its own protocol
/// (Aspire's own checks reach only URLs): the probe of <see cref="TcpProbeHealthCheck"/>, over a
/// Unix socket, within three seconds.
/// </summary>
internal sealed class UnixSocketProbeHealthCheck(
    string socketPath,
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
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), timeout.Token);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            return await ProbeReply.ExchangeAsync(stream, request, isExpectedReply, read, timeout.Token)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"unexpected reply on {socketPath}");
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy(read.Value > 0 ? $"unexpected reply on {socketPath}" : $"no reply on {socketPath}", exception);
        }
    }
}
