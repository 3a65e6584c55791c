using System.Collections.Concurrent;

namespace WebIde.Execution.Sandbox;

/// <summary>One language's idle containers and the recent demand that sizes it.</summary>
public sealed class LanguagePool(string language)
{
    private readonly ConcurrentQueue<SandboxContainer> _idle = new();
    private readonly Queue<DateTimeOffset> _takes = new();
    private int _starting;

    public string Language => language;

    public int IdleCount => _idle.Count;

    public int Starting => Volatile.Read(ref _starting);

    public void BeginStart() => Interlocked.Increment(ref _starting);

    public void EndStart() => Interlocked.Decrement(ref _starting);

    public void Add(SandboxContainer container) => _idle.Enqueue(container);

    public bool TryTake(out SandboxContainer container) => _idle.TryDequeue(out container!);

    public void RecordDemand(DateTimeOffset now, TimeSpan window)
    {
        lock (_takes)
        {
            _takes.Enqueue(now);
            Forget(now, window);
        }
    }

    public double DemandPerSecond(DateTimeOffset now, TimeSpan window)
    {
        lock (_takes)
        {
            Forget(now, window);
            return _takes.Count / window.TotalSeconds;
        }
    }

    /// <summary>Idle containers started before <paramref name="cutoff"/>; the queue is in start order.</summary>
    public IEnumerable<SandboxContainer> TakeOlderThan(DateTimeOffset cutoff)
    {
        while (_idle.TryPeek(out var oldest) && oldest.StartedAt < cutoff && _idle.TryDequeue(out var taken))
        {
            yield return taken;
        }
    }

    private void Forget(DateTimeOffset now, TimeSpan window)
    {
        while (_takes.Count > 0 && now - _takes.Peek() > window)
        {
            _takes.Dequeue();
        }
    }
}
