using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace WebIde.Execution.Runs;

/// <summary>
/// Fairness: a caller, a workspace and the instance each have a number of runs they may have
/// going at once; a run beyond it waits for a slot, a bounded time in a bounded queue, and is
/// then refused.
/// </summary>
public sealed class RunAdmission(IOptions<RunsOptions> options)
{
    private readonly ConcurrentDictionary<string, Gate> _callers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, Gate> _workspaces = new();
    private readonly Gate _instance = new(options.Value.MaxConcurrentRuns);

    /// <summary>A slot for one run, released by disposing it; throws <see cref="RunRefusedException"/> when none came in time.</summary>
    public async Task<IAsyncDisposable> EnterAsync(RunOwner owner, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var caller = _callers.GetOrAdd(owner.CallerId, _ => new Gate(settings.MaxConcurrentPerUser));
        // Only a run that would have to wait counts against the queue: with no queue, a free slot is still taken.
        if (caller.Full && caller.Waiting >= settings.MaxQueuedPerUser)
        {
            throw new RunRefusedException($"{settings.MaxQueuedPerUser} runs are already waiting for you; try again when some have ended", settings.MaxQueueWait);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.MaxQueueWait);
        var held = new List<Gate>(3);
        try
        {
            await caller.EnterAsync("you have", settings.MaxConcurrentPerUser, deadline.Token, cancellationToken, settings.MaxQueueWait);
            held.Add(caller);
            if (owner.WorkspaceId is { } workspaceId)
            {
                var workspace = _workspaces.GetOrAdd(workspaceId, _ => new Gate(settings.MaxConcurrentPerWorkspace));
                await workspace.EnterAsync("this workspace has", settings.MaxConcurrentPerWorkspace, deadline.Token, cancellationToken, settings.MaxQueueWait);
                held.Add(workspace);
            }
            await _instance.EnterAsync("the platform has", settings.MaxConcurrentRuns, deadline.Token, cancellationToken, settings.MaxQueueWait);
            held.Add(_instance);
            return new Slot(held);
        }
        catch
        {
            foreach (var gate in held)
            {
                gate.Leave();
            }
            throw;
        }
    }

    private sealed class Gate(int slots)
    {
        private readonly SemaphoreSlim _slots = new(slots, slots);
        private int _waiting;

        public int Waiting => Volatile.Read(ref _waiting);

        public bool Full => _slots.CurrentCount == 0;

        public async Task EnterAsync(string whose, int limit, CancellationToken deadline, CancellationToken caller, TimeSpan maxWait)
        {
            Interlocked.Increment(ref _waiting);
            try
            {
                await _slots.WaitAsync(deadline);
            }
            catch (OperationCanceledException) when (!caller.IsCancellationRequested)
            {
                throw new RunRefusedException($"{whose} {limit} runs going and none ended within {maxWait.TotalSeconds:0.#} s", maxWait);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }

        public void Leave() => _slots.Release();
    }

    private sealed class Slot(List<Gate> gates) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                foreach (var gate in gates)
                {
                    gate.Leave();
                }
            }
            return ValueTask.CompletedTask;
        }
    }
}
