using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Connections;

namespace WebIde.Execution.DockerGate;

/// <summary>
/// An attach, taken over from the connection before HTTP parsing sees it. Docker.DotNet sends an
/// attach as a plain POST (no <c>Upgrade</c> header), reads the engine's <c>200</c> and then uses
/// the same connection both ways, stdin out and the multiplexed output in: Kestrel, which would read
/// the stdin bytes as the next request, cannot carry that. So the first request line of every
/// connection is read here; an attach to one of this installation's containers is sent to the
/// engine on a raw connection of its own (a request line and headers the gate writes itself, the
/// client's headers dropped), and bytes are copied both ways until the engine's side ends. The
/// end of the client's input (a half-close, as <c>CloseWrite</c> does) is passed on as a
/// half-close. Anything else goes on to HTTP, where <see cref="DockerGateForwarder"/> checks it.
/// </summary>
public sealed class HijackedAttach(DockerEngine docker, ContainerOwnership ownership, ILogger<HijackedAttach> logger)
{
    private const int MaxHeadBytes = 16 * 1024;
    private static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan EngineTimeout = TimeSpan.FromSeconds(30);
    private static readonly byte[] LineEnd = "\r\n"u8.ToArray();

    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var input = connection.Transport.Input;
        using var timeout = new CancellationTokenSource(HeadTimeout);

        string? requestLine = null;
        ReadOnlySequence<byte> buffer;
        long headLength;
        while (true)
        {
            ReadResult read;
            try
            {
                read = await input.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                connection.Abort();
                return;
            }
            buffer = read.Buffer;
            if (requestLine is null && Find(buffer, LineEnd) is { } lineLength)
            {
                requestLine = Encoding.Latin1.GetString(buffer.Slice(0, lineLength));
                if (requestLine.Split(' ') is not [var method, var target, _] || !DockerApiAllowlist.IsAttach(method, target))
                {
                    // Not an attach: HTTP reads the same bytes again from the start.
                    input.AdvanceTo(buffer.Start);
                    await next(connection);
                    return;
                }
            }
            if (requestLine is not null && HeadLength(buffer) is { } found)
            {
                headLength = found;
                break;
            }
            if (read.IsCompleted || buffer.Length > MaxHeadBytes)
            {
                input.AdvanceTo(buffer.Start);
                await next(connection);
                return;
            }
            input.AdvanceTo(buffer.Start, buffer.End);
        }

        var head = Encoding.Latin1.GetString(buffer.Slice(0, headLength));
        input.AdvanceTo(buffer.GetPosition(headLength));
        var requestTarget = requestLine.Split(' ')[1];
        await AttachAsync(connection, requestTarget, WantsUpgrade(head));
    }

    private async Task AttachAsync(ConnectionContext connection, string target, bool upgrade)
    {
        var output = connection.Transport.Output;
        var id = DockerApiAllowlist.Match("POST", target)!.ContainerId!;
        Socket engine;
        // Not the connection's closing: Kestrel reports a client's half-close (the end of stdin) as that.
        using var checking = new CancellationTokenSource(EngineTimeout);
        try
        {
            var verdict = await ownership.CheckAsync(id, checking.Token);
            if (!verdict.IsOwned)
            {
                logger.LogWarning("Docker gate refused {Method} {Target}: {Reason}", "POST", DockerGateForwarder.Shorten(target), verdict.Message);
                await output.WriteAsync(GateRefusal.RawResponse(verdict.Status, verdict.Message));
                await output.CompleteAsync();
                return;
            }
            engine = await docker.ConnectAsync(checking.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException or SocketException or OperationCanceledException)
        {
            logger.LogWarning(exception, "Docker gate could not reach the engine for an attach to {ContainerId}", id);
            await output.WriteAsync(GateRefusal.RawResponse(StatusCodes.Status502BadGateway, "the Docker engine does not answer"));
            await output.CompleteAsync();
            return;
        }

        using (engine)
        await using (var engineStream = new NetworkStream(engine, ownsSocket: false))
        {
            var request = $"POST {target} HTTP/1.1\r\nHost: docker\r\n{(upgrade ? "Connection: Upgrade\r\nUpgrade: tcp\r\n" : "")}\r\n";
            await engineStream.WriteAsync(Encoding.ASCII.GetBytes(request));

            using var stop = new CancellationTokenSource();
            var toEngine = CopyToEngineAsync(connection.Transport.Input, engineStream, engine, stop.Token);
            try
            {
                await CopyToClientAsync(engineStream, output);
            }
            catch (IOException)
            {
                // The engine's side broke: the attach is over, as when it ends.
            }
            finally
            {
                await stop.CancelAsync();
                connection.Transport.Input.CancelPendingRead();
                try
                {
                    await toEngine;
                }
                catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ConnectionResetException)
                {
                    // The client's side went first or broke: nothing is left to send.
                }
                await output.CompleteAsync();
            }
        }
    }

    private static async Task CopyToEngineAsync(PipeReader input, NetworkStream engineStream, Socket engine, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var read = await input.ReadAsync(stop);
            foreach (var segment in read.Buffer)
            {
                await engineStream.WriteAsync(segment, stop);
            }
            input.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                // The client closed its sending side (stdin is over): the engine hears the same.
                engine.Shutdown(SocketShutdown.Send);
                return;
            }
            if (read.IsCanceled)
            {
                return;
            }
        }
    }

    private static async Task CopyToClientAsync(NetworkStream engineStream, PipeWriter output)
    {
        while (true)
        {
            var memory = output.GetMemory(16 * 1024);
            var count = await engineStream.ReadAsync(memory);
            if (count == 0)
            {
                return;
            }
            output.Advance(count);
            if ((await output.FlushAsync()).IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>Whether the client asked for an upgrade (<c>Connection: Upgrade</c>, <c>Upgrade: tcp</c>), which the engine then answers with 101.</summary>
    private static bool WantsUpgrade(string head) =>
        head.Split('\n').Skip(1).Any(line => line.StartsWith("Upgrade:", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Where the request's head ends, its empty line included. Docker.DotNet ends its header lines
    /// with a bare LF (what <c>HttpHeaders.ToString</c> writes on Linux), as Kestrel and the engine accept.
    /// </summary>
    private static long? HeadLength(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (reader.TryAdvanceTo((byte)'\n'))
        {
            if (reader.IsNext((byte)'\n', advancePast: true) || reader.IsNext("\r\n"u8, advancePast: true))
            {
                return reader.Consumed;
            }
        }
        return null;
    }

    private static long? Find(ReadOnlySequence<byte> buffer, byte[] pattern)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> before, pattern, advancePastDelimiter: false) ? before.Length : null;
    }
}
