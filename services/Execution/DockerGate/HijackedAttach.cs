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
    private static readonly byte[] LineEnd = "\r\n"u8.ToArray();
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var input = connection.Transport.Input;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        timeout.CancelAfter(HeadTimeout);

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
            if (requestLine is not null && Find(buffer, HeadEnd) is { } found)
            {
                headLength = found + HeadEnd.Length;
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
        try
        {
            var verdict = await ownership.CheckAsync(id, connection.ConnectionClosed);
            if (!verdict.IsOwned)
            {
                logger.LogWarning("Docker gate refused {Method} {Target}: {Reason}", "POST", DockerGateForwarder.Shorten(target), verdict.Message);
                await output.WriteAsync(GateRefusal.RawResponse(verdict.Status, verdict.Message));
                await output.CompleteAsync();
                return;
            }
            engine = await docker.ConnectAsync(connection.ConnectionClosed);
        }
        catch (Exception exception) when (exception is HttpRequestException or SocketException)
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
        head.Split("\r\n").Skip(1).Any(line => line.StartsWith("Upgrade:", StringComparison.OrdinalIgnoreCase));

    private static long? Find(ReadOnlySequence<byte> buffer, byte[] pattern)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> before, pattern, advancePastDelimiter: false) ? before.Length : null;
    }
}
