using System.Runtime.CompilerServices;

namespace WebIde.Execution.Sandbox;

/// <summary>
/// One run in a user's container. Its events end at the agent's word that the run is done; disposing
/// the lease hands the container back (<see cref="UserSandboxes"/>), which keeps it for the same user's
/// next run only if that word came and said the container is as it was before.
/// </summary>
internal sealed class SandboxLease(SandboxContainer container, int lease, UserSandboxes owner, TimeSpan drainGrace, ILogger logger) : ISandboxSession
{
    private AgentRunDone? _done;
    private int _disposed;

    public string Id => container.Id;

    public string Log => container.Log;

    /// <summary>The agent's word after the run, once read.</summary>
    public AgentRunDone? Done => _done;

    public async IAsyncEnumerable<SandboxEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (_done is null && await container.ReadFrameAsync(cancellationToken) is { } frame)
        {
            if (frame.Kind == AgentFrameKind.RunDone)
            {
                _done = AgentProtocol.RunDoneOf(frame);
                yield break;
            }
            if (AgentProtocol.EventOf(frame) is { } sandboxEvent)
            {
                yield return sandboxEvent;
            }
        }
    }

    public Task SendAsync(IReadOnlyList<AgentFrame> frames, CancellationToken cancellationToken) =>
        container.SendAsync(lease, frames, cancellationToken);

    public Task WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        SendAsync([new AgentFrame(AgentFrameKind.Stdin, data)], cancellationToken);

    public Task CloseStdinAsync(CancellationToken cancellationToken) =>
        SendAsync([new AgentFrame(AgentFrameKind.CloseStdin, ReadOnlyMemory<byte>.Empty)], cancellationToken);

    public Task KillAsync(CancellationToken cancellationToken) =>
        SendAsync([new AgentFrame(AgentFrameKind.Kill, ReadOnlyMemory<byte>.Empty)], cancellationToken);

    public Task<bool> WasOomKilledAsync(CancellationToken cancellationToken) => container.WasOomKilledAsync(cancellationToken);

    /// <summary>
    /// Reads on to the agent's word when the caller stopped at the last step's result (it comes a few
    /// milliseconds later, after the wipe and the baseline check), then hands the container back.
    /// </summary>
    /// <remarks>
    /// The container is marked as on its way back before this first yields: a caller that starts the disposal
    /// and only then announces the run's end (<c>Runner</c>) has the user's next run wait for this container.
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        owner.Returning(container);
        var done = await DrainAsync();
        await owner.ReturnAsync(container, done);
    }

    private async Task<AgentRunDone?> DrainAsync()
    {
        if (_done is not null || container.IsDisposed)
        {
            return _done;
        }
        // A read the caller left behind (a watchdog gave up on it) still owns the stream: nobody can
        // tell where the run is, so the container is not handed on.
        if (container.IsReading)
        {
            return null;
        }
        using var grace = new CancellationTokenSource(drainGrace);
        try
        {
            while (await container.ReadFrameAsync(grace.Token).WaitAsync(grace.Token) is { } frame)
            {
                if (frame.Kind == AgentFrameKind.RunDone)
                {
                    return _done = AgentProtocol.RunDoneOf(frame);
                }
            }
        }
        catch (Exception exception)
        {
            // Whatever broke (a timeout, a closed stream, garbage), the container is not handed on.
            logger.LogDebug(exception, "Sandbox {ContainerId} did not say its run was done", container.Id);
        }
        return null;
    }
}
