namespace WebIde.Execution.Sandbox;

/// <summary>One user's containers: in a run, on their way back from one, or idle. Guarded by locking the object.</summary>
internal sealed class TenantSandboxes
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int InUse { get; set; }

    public List<SandboxContainer> Returning { get; } = [];

    /// <summary>Idle containers, the most recently used last.</summary>
    public List<SandboxContainer> Idle { get; } = [];

    /// <summary>Set when the user had nothing left and was forgotten: a take that still holds this object starts over.</summary>
    public bool Abandoned { get; set; }

    public int Count => InUse + Returning.Count + Idle.Count;

    public int IdleCount => Idle.Count;

    /// <summary>Completes at the next return (or a failed take): what a run waiting for one of the user's containers waits on.</summary>
    public Task Changed => _changed.Task;

    public void Signal()
    {
        var changed = _changed;
        _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    /// <summary>The idle container for the language and memory used most recently: its pages are the warmest.</summary>
    public SandboxContainer? TakeIdle(string language, long memoryBytes)
    {
        for (var i = Idle.Count - 1; i >= 0; i--)
        {
            if (Idle[i].Language == language && Idle[i].MemoryBytes == memoryBytes)
            {
                var container = Idle[i];
                Idle.RemoveAt(i);
                return container;
            }
        }
        return null;
    }

    public bool IsReturning(string language, long memoryBytes) =>
        Returning.Exists(container => container.Language == language && container.MemoryBytes == memoryBytes);

    public SandboxContainer? TakeLeastRecentlyUsed()
    {
        if (Idle.Count == 0)
        {
            return null;
        }
        var container = Idle[0];
        Idle.RemoveAt(0);
        return container;
    }

    /// <summary>Idle containers unused since <see cref="Expiry.IdleSince"/> or started before <see cref="Expiry.StartedBefore"/>.</summary>
    public List<(SandboxContainer Container, string Reason)> TakeExpired(Expiry expiry)
    {
        var expired = new List<(SandboxContainer, string)>();
        for (var i = Idle.Count - 1; i >= 0; i--)
        {
            var container = Idle[i];
            var reason = container.StartedAt < expiry.StartedBefore ? "age" : container.IdleSince < expiry.IdleSince ? "idle" : null;
            if (reason is not null)
            {
                Idle.RemoveAt(i);
                expired.Add((container, reason));
            }
        }
        return expired;
    }
}
