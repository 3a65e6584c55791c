using System.Runtime.CompilerServices;

namespace WebIde.AppHost.Infrastructure;

/// <summary>
/// A protocol probe's exchange, whatever the socket: the request written, then the reply read until
/// it is the expected one (a pipelined request's answers may arrive in several reads) or the peer closes.
/// </summary>
internal static class ProbeReply
{
    /// <summary>Whether the reply was the expected one; <paramref name="read"/> counts what did come.</summary>
    public static async Task<bool> ExchangeAsync(
        Stream stream, ReadOnlyMemory<byte> request, Func<ReadOnlyMemory<byte>, bool> isExpectedReply, StrongBox<int> read, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(request, cancellationToken);
        var reply = new byte[256];
        while (read.Value < reply.Length)
        {
            var count = await stream.ReadAsync(reply.AsMemory(read.Value), cancellationToken);
            if (count == 0)
            {
                return false;
            }
            read.Value += count;
            if (isExpectedReply(reply.AsMemory(0, read.Value)))
            {
                return true;
            }
        }
        return false;
    }
}
