using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace WebIde.Execution.Sandbox;

/// <summary>
/// Containers that belong to one user. A user's first run of a language takes an unassigned warm
/// container (<see cref="WarmPool"/>), which from then on serves only that user, one run at a time,
/// at most <see cref="WarmPoolOptions.PerUser"/> of them per user. It is retired, never handed to
/// anyone else, after <see cref="WarmPoolOptions.RunsPerContainer"/> runs, after
/// <see cref="WarmPoolOptions.UserIdleTimeout"/> unused, once older than
/// <see cref="SandboxOptions.MaxIdleAge"/>, and after any run its agent did not report as clean
/// (a limit hit, something left behind, no report at all).
/// </summary>
public sealed class UserSandboxes(WarmPool pool, IOptions<WarmPoolOptions> options, IOptions<SandboxOptions> sandbox, SandboxMetrics metrics, TimeProvider time, ILogger<UserSandboxes> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, TenantSandboxes> _tenants = new(StringComparer.Ordinal);

    /// <summary>Containers assigned to users, in use or idle.</summary>
    public int AssignedCount => _tenants.Values.Sum(tenant => tenant.Count);

    /// <summary>Idle containers of <paramref name="tenant"/>'s: each may turn out dead when taken (an engine restart).</summary>
    public int IdleCountOf(string tenant)
    {
        if (!_tenants.TryGetValue(tenant, out var user))
        {
            return 0;
        }
        lock (user)
        {
            return user.IdleCount;
        }
    }

    /// <summary>
    /// A container for <paramref name="tenant"/>'s run: an idle one of theirs for the language and shape,
    /// else one of theirs on its way back from a run (waited for: it is ready in milliseconds), else a
    /// warm one assigned to them now, making room under their limit by retiring the idle one used longest ago.
    /// </summary>
    public async Task<SandboxContainer> TakeAsync(string tenant, string language, SandboxShape shape, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var settings = options.Value;
        while (true)
        {
            var user = _tenants.GetOrAdd(tenant, _ => new TenantSandboxes());
            Task? changed = null;
            SandboxContainer? own;
            var retired = new List<(SandboxContainer Container, string Reason)>();
            lock (user)
            {
                if (user.Abandoned)
                {
                    continue;
                }
                retired.AddRange(user.TakeExpired(Expiry(time.GetUtcNow())));
                own = user.TakeIdle(language, shape.MemoryBytes);
                if (own is not null)
                {
                    user.InUse++;
                }
                else if (user.IsReturning(language, shape.MemoryBytes) || (user.Count >= settings.PerUser && user.IdleCount == 0))
                {
                    changed = user.Changed;
                }
                else
                {
                    if (user.Count >= settings.PerUser && user.TakeLeastRecentlyUsed() is { } evicted)
                    {
                        retired.Add((evicted, "room for another language"));
                    }
                    user.InUse++;
                }
            }
            Retire(retired);

            if (own is not null)
            {
                metrics.SandboxTaken(language, "own", Stopwatch.GetElapsedTime(started));
                return own;
            }
            if (changed is not null)
            {
                await changed.WaitAsync(cancellationToken);
                continue;
            }

            try
            {
                var container = await pool.TakeAsync(language, shape, labels, cancellationToken);
                container.AssignTo(tenant, language);
                return container;
            }
            catch
            {
                lock (user)
                {
                    user.InUse--;
                    user.Signal();
                }
                throw;
            }
        }
    }

    /// <summary>The container's run is over and it is being checked: the user's next run waits for it rather than take another.</summary>
    internal void Returning(SandboxContainer container)
    {
        var user = _tenants[container.Tenant!];
        lock (user)
        {
            user.InUse--;
            user.Returning.Add(container);
        }
    }

    /// <summary>Back from a run: kept for the same user's next one if the agent said it is clean, else removed.</summary>
    internal async Task ReturnAsync(SandboxContainer container, AgentRunDone? done)
    {
        var user = _tenants[container.Tenant!];
        var now = time.GetUtcNow();
        var reason = done switch
        {
            null => "no report",
            { Reusable: false } => string.Join(", ", done.Reasons),
            _ when container.IsDisposed => "removed",
            _ when container.RunsServed + 1 >= options.Value.RunsPerContainer => "runs",
            _ when now - container.StartedAt >= sandbox.Value.MaxIdleAge => "age",
            _ => null,
        };
        lock (user)
        {
            user.Returning.Remove(container);
            if (reason is null)
            {
                container.RunsServed++;
                container.IdleSince = now;
                user.Idle.Add(container);
            }
            user.Signal();
        }
        if (reason is not null)
        {
            if (done is { Reusable: false })
            {
                logger.LogInformation("Sandbox {ContainerId} retired after its run: {Reasons}", container.Id, reason);
            }
            metrics.SandboxRetired(done is { Reusable: false, Reasons: [var first, ..] } ? first : reason);
            await container.DisposeAsync();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.UserIdleTimeout / 4;
        using var timer = new PeriodicTimer(interval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                RetireExpired();
            }
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var user in _tenants.Values)
        {
            List<SandboxContainer> idle;
            lock (user)
            {
                idle = [.. user.Idle];
                user.Idle.Clear();
            }
            await Task.WhenAll(idle.Select(container => container.DisposeAsync().AsTask()));
        }
    }

    /// <summary>Idle containers past their time, and users with nothing left.</summary>
    public void RetireExpired()
    {
        var cutoffs = Expiry(time.GetUtcNow());
        foreach (var (tenant, user) in _tenants)
        {
            var retired = new List<(SandboxContainer, string)>();
            lock (user)
            {
                retired.AddRange(user.TakeExpired(cutoffs));
                if (user.Count == 0)
                {
                    // A take that got this user object before its removal sees this and starts over.
                    user.Abandoned = true;
                    _tenants.TryRemove(new KeyValuePair<string, TenantSandboxes>(tenant, user));
                }
            }
            Retire(retired);
        }
    }

    private Expiry Expiry(DateTimeOffset now) => new(now - options.Value.UserIdleTimeout, now - sandbox.Value.MaxIdleAge);

    private void Retire(List<(SandboxContainer Container, string Reason)> retired)
    {
        foreach (var (container, reason) in retired)
        {
            metrics.SandboxRetired(reason);
            _ = container.DisposeAsync().AsTask();
        }
    }
}
