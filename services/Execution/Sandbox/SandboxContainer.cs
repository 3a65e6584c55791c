using System.Runtime.CompilerServices;
using System.Text;
using Docker.DotNet;

namespace WebIde.Execution.Sandbox;

/// <summary>
/// A started sandbox container whose agent waits on the attached stream. It serves exactly one
/// run; disposing it removes the container.
/// </summary>
public sealed class SandboxContainer(IDockerClient docker, string id, MultiplexedStream stream, long memoryBytes, DateTimeOffset startedAt, ILogger logger) : ISandboxSession
{
    private const int AgentLogCap = 8 * 1024;

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly StringBuilder _agentLog = new();
    private int _disposed;

    public string Id => id;

    public long MemoryBytes => memoryBytes;

    public DateTimeOffset StartedAt => startedAt;

    /// <summary>What the agent itself wrote on stderr (an interpreter crash, say): for logs, never for users.</summary>
    public string Log
    {
        get
        {
            lock (_agentLog)
            {
                return _agentLog.ToString();
            }
        }
    }

    public Task WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        SendAsync([new AgentFrame(AgentFrameKind.Stdin, data)], cancellationToken);

    public Task CloseStdinAsync(CancellationToken cancellationToken) =>
        SendAsync([new AgentFrame(AgentFrameKind.CloseStdin, ReadOnlyMemory<byte>.Empty)], cancellationToken);

    public Task KillAsync(CancellationToken cancellationToken) =>
        SendAsync([new AgentFrame(AgentFrameKind.Kill, ReadOnlyMemory<byte>.Empty)], cancellationToken);

    public async IAsyncEnumerable<SandboxEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var frame in ReadFramesAsync(cancellationToken))
        {
            if (AgentProtocol.EventOf(frame) is { } sandboxEvent)
            {
                yield return sandboxEvent;
            }
        }
    }

    /// <summary>Writes the frames in one piece, so nothing another caller sends comes between them.</summary>
    internal async Task SendAsync(IReadOnlyList<AgentFrame> frames, CancellationToken cancellationToken)
    {
        var bytes = frames.Count == 1 ? frames[0].ToBytes() : [.. frames.SelectMany(frame => frame.ToBytes())];
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await stream.WriteAsync(bytes, 0, bytes.Length, cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async IAsyncEnumerable<AgentFrame> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = new AgentFrameReader();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
            if (read.EOF)
            {
                yield break;
            }

            if (read.Target == MultiplexedStream.TargetStream.StandardOut)
            {
                reader.Append(buffer.AsSpan(0, read.Count));
                while (reader.TryRead(out var frame))
                {
                    yield return frame;
                }
            }
            else
            {
                lock (_agentLog)
                {
                    if (_agentLog.Length < AgentLogCap)
                    {
                        _agentLog.Append(Encoding.UTF8.GetString(buffer, 0, Math.Min(read.Count, AgentLogCap - _agentLog.Length)));
                    }
                }
            }
        }
    }

    /// <summary>The engine's verdict, for when the agent itself was the process the kernel killed.</summary>
    public async Task<bool> WasOomKilledAsync(CancellationToken cancellationToken)
    {
        try
        {
            var inspected = await docker.Containers.InspectContainerAsync(id, cancellationToken);
            return inspected.State?.OOMKilled ?? false;
        }
        catch (DockerContainerNotFoundException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        stream.Dispose();
        _writeLock.Dispose();
        try
        {
            await docker.Containers.RemoveContainerAsync(id, new() { Force = true }, CancellationToken.None);
        }
        catch (DockerContainerNotFoundException)
        {
            // Already gone (the sweeper or a workspace deletion got there first).
        }
        catch (Exception exception) when (exception is DockerApiException or HttpRequestException or IOException or TimeoutException)
        {
            // The sweeper removes it later: the label says it is ours and its expiry is set.
            logger.LogWarning(exception, "Could not remove sandbox container {ContainerId}", id);
        }
    }
}
