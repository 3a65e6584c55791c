using System.Threading.Channels;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.UnitTests.Runs;

/// <summary>A sandbox the test speaks for: it reports what the test writes and records what it is told.</summary>
public sealed class FakeSandboxes : ISandboxes, ISandboxSession
{
    private readonly Channel<SandboxEvent> _events = Channel.CreateUnbounded<SandboxEvent>();
    private readonly List<string> _controls = [];

    public SandboxRequest? Request { get; private set; }

    public bool OomKilled { get; set; }

    /// <summary>What starting a sandbox throws, when it cannot be started (an engine that is down).</summary>
    public Exception? StartFailure { get; set; }

    /// <summary>How the engine answers when asked whether the sandbox was OOM-killed; by default with <see cref="OomKilled"/>.</summary>
    public Func<CancellationToken, Task<bool>>? OomQuery { get; set; }

    /// <summary>Whether a read of the events goes on when cancelled, as one blocked on an engine that hangs with its socket open may.</summary>
    public bool ReadsIgnoreCancellation { get; set; }

    public bool Disposed { get; private set; }

    /// <summary>Stdin written, closes and kills, in the order they came, e.g. <c>stdin:abc</c>, <c>close</c>, <c>kill</c>.</summary>
    public IReadOnlyList<string> Controls
    {
        get
        {
            lock (_controls)
            {
                return [.. _controls];
            }
        }
    }

    public string Id => "fake";

    public string Log => "";

    public void Report(SandboxEvent sandboxEvent) => _events.Writer.TryWrite(sandboxEvent);

    /// <summary>The sandbox dies without another word.</summary>
    public void End() => _events.Writer.TryComplete();

    /// <summary>The stream breaks (the engine restarted, say): reading it throws <paramref name="failure"/> after what was reported.</summary>
    public void Break(Exception failure) => _events.Writer.TryComplete(failure);

    public Task<ISandboxSession> StartAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        if (StartFailure is { } failure)
        {
            return Task.FromException<ISandboxSession>(failure);
        }
        Request = request;
        return Task.FromResult<ISandboxSession>(this);
    }

    public IAsyncEnumerable<SandboxEvent> ReadEventsAsync(CancellationToken cancellationToken) =>
        _events.Reader.ReadAllAsync(ReadsIgnoreCancellation ? CancellationToken.None : cancellationToken);

    public Task WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => Record($"stdin:{System.Text.Encoding.UTF8.GetString(data.Span)}");

    public Task CloseStdinAsync(CancellationToken cancellationToken) => Record("close");

    public Task KillAsync(CancellationToken cancellationToken) => Record("kill");

    public Task<bool> WasOomKilledAsync(CancellationToken cancellationToken) => OomQuery?.Invoke(cancellationToken) ?? Task.FromResult(OomKilled);

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        _events.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    private Task Record(string control)
    {
        lock (_controls)
        {
            _controls.Add(control);
        }
        return Task.CompletedTask;
    }
}
