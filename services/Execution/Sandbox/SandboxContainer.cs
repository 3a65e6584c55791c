using System.Text;
using Docker.DotNet;

namespace WebIde.Execution.Sandbox;

/// <summary>
/// A started sandbox container whose agent waits on the attached stream. It serves one user's runs,
/// one at a time, each through a <see cref="SandboxLease"/>; disposing it removes the container.
/// </summary>
public sealed class SandboxContainer(IDockerClient docker, string id, MultiplexedStream stream, long memoryBytes, DateTimeOffset startedAt, ILogger logger) : IAsyncDisposable
{
    private const int AgentLogCap = 8 * 1024;

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly StringBuilder _agentLog = new();
    // Kept across runs: a read may end in the middle of a frame.
    private readonly AgentFrameReader _frames = new();
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _lease;
    private int _reading;
    private int _disposed;

    public string Id => id;

    public long MemoryBytes => memoryBytes;

    public DateTimeOffset StartedAt => startedAt;

    /// <summary>The user whose runs it serves, from its first run on; null while it waits in the warm pool.</summary>
    public string? Tenant { get; private set; }

    /// <summary>The language it was started for; it serves only that language's runs.</summary>
    public string? Language { get; private set; }

    /// <summary>Runs it has finished that left it reusable.</summary>
    public int RunsServed { get; internal set; }

    /// <summary>When it last came back from a run.</summary>
    public DateTimeOffset IdleSince { get; internal set; }

    public bool IsDisposed => Volatile.Read(ref _disposed) == 1;

    /// <summary>Whether a read of the attach stream has not come back: a lease that left one behind cannot hand the stream on.</summary>
    internal bool IsReading => Volatile.Read(ref _reading) == 1;

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

    /// <summary>Gives the container to <paramref name="tenant"/> for good: it never serves anyone else.</summary>
    public void AssignTo(string tenant, string language)
    {
        if (Tenant is not null && Tenant != tenant)
        {
            throw new InvalidOperationException($"sandbox {id} belongs to another user");
        }
        Tenant = tenant;
        Language = language;
    }

    /// <summary>
    /// Starts a new lease: writes of every earlier one are refused from now on. Not cancellable: the
    /// earlier lease has ended, so no write of its holds the lock for long.
    /// </summary>
    internal async Task<int> BeginLeaseAsync()
    {
        await _writeLock.WaitAsync(CancellationToken.None);
        try
        {
            return ++_lease;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Writes the frames in one piece, so nothing another caller sends comes between them, if
    /// <paramref name="lease"/> is still the container's: input a run's caller sends after its run was
    /// handed back must never reach the next run.
    /// </summary>
    internal async Task SendAsync(int lease, IReadOnlyList<AgentFrame> frames, CancellationToken cancellationToken)
    {
        var bytes = frames.Count == 1 ? frames[0].ToBytes() : [.. frames.SelectMany(frame => frame.ToBytes())];
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(lease != _lease, this);
            await stream.WriteAsync(bytes, 0, bytes.Length, cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The agent's next frame; null when its stream has ended.</summary>
    internal async Task<AgentFrame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_frames.TryRead(out var frame))
            {
                return frame;
            }

            MultiplexedStream.ReadResult read;
            Volatile.Write(ref _reading, 1);
            try
            {
                read = await stream.ReadOutputAsync(_buffer, 0, _buffer.Length, cancellationToken);
            }
            finally
            {
                Volatile.Write(ref _reading, 0);
            }
            if (read.EOF)
            {
                return null;
            }

            if (read.Target == MultiplexedStream.TargetStream.StandardOut)
            {
                _frames.Append(_buffer.AsSpan(0, read.Count));
            }
            else
            {
                lock (_agentLog)
                {
                    if (_agentLog.Length < AgentLogCap)
                    {
                        _agentLog.Append(Encoding.UTF8.GetString(_buffer, 0, Math.Min(read.Count, AgentLogCap - _agentLog.Length)));
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
