using System.Threading.Channels;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.Runs;

/// <summary>A run in its sandbox: its events as they happen, and the controls an interactive caller has.</summary>
public sealed class ActiveRun(Guid runId, RunPlan plan, SandboxContainer sandbox, ChannelReader<RunEvent> events, Task<RunResult> completion)
{
    private int _stdinClosed;

    public Guid RunId => runId;

    public RunPlan Plan => plan;

    public ChannelReader<RunEvent> Events => events;

    public Task<RunResult> Completion => completion;

    internal bool KillRequested { get; private set; }

    public Task SendStdinAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        Volatile.Read(ref _stdinClosed) == 1 || data.IsEmpty || completion.IsCompleted
            ? Task.CompletedTask
            : SendQuietlyAsync(new AgentFrame(AgentFrameKind.Stdin, data.ToArray()), cancellationToken);

    public Task CloseStdinAsync(CancellationToken cancellationToken) =>
        Interlocked.Exchange(ref _stdinClosed, 1) == 1
            ? Task.CompletedTask
            : SendQuietlyAsync(new AgentFrame(AgentFrameKind.CloseStdin, ReadOnlyMemory<byte>.Empty), cancellationToken);

    public Task KillAsync(CancellationToken cancellationToken)
    {
        KillRequested = true;
        return SendQuietlyAsync(new AgentFrame(AgentFrameKind.Kill, ReadOnlyMemory<byte>.Empty), cancellationToken);
    }

    /// <summary>Input for a run that has just ended has nowhere to go; that is not the caller's error.</summary>
    private async Task SendQuietlyAsync(AgentFrame frame, CancellationToken cancellationToken)
    {
        if (completion.IsCompleted)
        {
            return;
        }
        try
        {
            await sandbox.SendAsync(frame, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }
}
