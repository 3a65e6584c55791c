namespace WebIde.Execution.Sandbox;

/// <summary>
/// One sandbox working on its request. The sandbox enforces each step's limits from inside; disposing
/// the session ends it: its container is kept for the user's next run only if its agent reported the
/// run done and the container clean, and is removed otherwise, whatever it is doing.
/// </summary>
public interface ISandboxSession : IAsyncDisposable
{
    string Id { get; }

    /// <summary>What the sandbox itself wrote on stderr (an interpreter crash, say): for logs, never for users.</summary>
    string Log { get; }

    /// <summary>The sandbox's events until it ends; the sequence just ends when the sandbox dies.</summary>
    IAsyncEnumerable<SandboxEvent> ReadEventsAsync(CancellationToken cancellationToken);

    Task WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    Task CloseStdinAsync(CancellationToken cancellationToken);

    /// <summary>Ends the running step's process tree; its <see cref="SandboxStepExited"/> says it was killed.</summary>
    Task KillAsync(CancellationToken cancellationToken);

    /// <summary>Whether the kernel killed the sandbox as a whole for its memory, for when it ended without a word.</summary>
    Task<bool> WasOomKilledAsync(CancellationToken cancellationToken);
}
