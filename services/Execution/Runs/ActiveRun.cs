using System.Threading.Channels;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.Runs;

/// <summary>A run in its sandbox: its events as they happen, and the controls an interactive caller has.</summary>
public sealed class ActiveRun(Guid runId, RunPlan plan, ISandboxSession sandbox, ChannelReader<RunEvent> events, Task<RunResult> completion)
{
    private int _stdinClosed;

    public Guid RunId => runId;

    public RunPlan Plan => plan;

    /// <summary>The container the run is in.</summary>
    public string SandboxId => sandbox.Id;

    public ChannelReader<RunEvent> Events => events;

    public Task<RunResult> Completion => completion;

    internal bool KillRequested { get; private set; }

    public Task SendStdinAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        Volatile.Read(ref _stdinClosed) == 1 || data.IsEmpty || completion.IsCompleted
            ? Task.CompletedTask
            : SendQuietlyAsync(token => sandbox.WriteStdinAsync(data.ToArray(), token), cancellationToken);

    public Task CloseStdinAsync(CancellationToken cancellationToken) =>
        Interlocked.Exchange(ref _stdinClosed, 1) == 1
            ? Task.CompletedTask
            : SendQuietlyAsync(sandbox.CloseStdinAsync, cancellationToken);

    public Task KillAsync(CancellationToken cancellationToken)
    {
        KillRequested = true;
        return SendQuietlyAsync(sandbox.KillAsync, cancellationToken);
    }

    /// <summary>Input for a run that has just ended has nowhere to go; that is not the caller's error.</summary>
    private async Task SendQuietlyAsync(Func<CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        if (completion.IsCompleted)
        {
            return;
        }
        try
        {
            await send(cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }
}
