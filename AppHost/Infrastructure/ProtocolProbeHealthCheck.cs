using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WebIde.AppHost.Infrastructure;

/// <summary>
/// Healthy when the process behind a socket answers a request of its own protocol (Aspire's own
/// checks reach only URLs). A bare connect proves nothing here: the orchestrator's proxy accepts
/// before the process is up. The reply is read until it is the expected one (a pipelined
/// request's answers may arrive in several reads), the peer closes, or three seconds pass.
/// </summary>
internal sealed class ProtocolProbeHealthCheck(
    Func<string> peer,
    Func<CancellationToken, Task<Socket>> connect,
    ReadOnlyMemory<byte> request,
    Func<ReadOnlyMemory<byte>, bool> isExpectedReply) : IHealthCheck
{
    /// <summary>A probe of the process behind an endpoint (its port is known only once allocated, so read at each check).</summary>
    public static ProtocolProbeHealthCheck Tcp(EndpointReference endpoint, ReadOnlyMemory<byte> request, Func<ReadOnlyMemory<byte>, bool> isExpectedReply) =>
        new(() => endpoint.Url, async cancellationToken =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await Connected(socket, socket.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken));
            return socket;
        }, request, isExpectedReply);

    /// <summary>A probe of the process listening on a Unix socket.</summary>
    public static ProtocolProbeHealthCheck UnixSocket(string path, ReadOnlyMemory<byte> request, Func<ReadOnlyMemory<byte>, bool> isExpectedReply) =>
        new(() => path, async cancellationToken =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await Connected(socket, socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken));
            return socket;
        }, request, isExpectedReply);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        var read = 0;
        try
        {
            using var socket = await connect(timeout.Token);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await stream.WriteAsync(request, timeout.Token);
            var reply = new byte[256];
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
            return read > 0 ? Unexpected() : HealthCheckResult.Unhealthy($"no reply from {peer()}", exception);
        }
    }

    /// <summary>The socket once its connect completes; closed when the connect fails, so no attempt leaks one.</summary>
    private static async Task Connected(Socket socket, ValueTask connecting)
    {
        try
        {
            await connecting;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private HealthCheckResult Unexpected() => HealthCheckResult.Unhealthy($"unexpected reply from {peer()}");
}
