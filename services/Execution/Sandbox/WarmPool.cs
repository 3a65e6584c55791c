using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace WebIde.Execution.Sandbox;

/// <summary>
/// Pre-started containers per language, refilled in the background, so a run starts in an
/// agent that is already waiting. A container taken from here belongs to the user whose run took it
/// (<see cref="UserSandboxes"/>) and never comes back.
/// </summary>
public sealed class WarmPool : BackgroundService
{
    private readonly SandboxFactory _factory;
    private readonly WarmPoolOptions _options;
    private readonly SandboxOptions _sandbox;
    private readonly SandboxMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<WarmPool> _logger;
    private readonly ConcurrentDictionary<string, LanguagePool> _pools = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _refillNeeded = new(0);

    public WarmPool(SandboxFactory factory, IOptions<WarmPoolOptions> options, IOptions<SandboxOptions> sandbox, SandboxMetrics metrics, TimeProvider time, ILogger<WarmPool> logger)
    {
        _factory = factory;
        _options = options.Value;
        _sandbox = sandbox.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        foreach (var language in _options.Languages)
        {
            _pools[language] = new LanguagePool(language);
        }

        metrics.Meter.CreateObservableGauge("webide.sandbox.pool.size", () => _pools.Values.Select(pool => new Measurement<int>(pool.IdleCount, new KeyValuePair<string, object?>("language", pool.Language))), "{container}", "Idle pre-started containers per language.");
        metrics.Meter.CreateObservableGauge("webide.sandbox.pool.target", () => _pools.Values.Select(pool => new Measurement<int>(TargetOf(pool), new KeyValuePair<string, object?>("language", pool.Language))), "{container}", "Idle containers each language's pool is refilled to, by configuration and load.");
    }

    /// <summary>The shape every pooled container has: the default memory of docs/api.md §5.</summary>
    public static SandboxShape DefaultShape { get; } = new(256L << 20);

    public int IdleCount(string language) => _pools.TryGetValue(language, out var pool) ? pool.IdleCount : 0;

    /// <summary>A started sandbox for one run: a warm one when the pool has it, else one started now.</summary>
    public async Task<SandboxContainer> TakeAsync(string language, SandboxShape shape, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (shape == DefaultShape && _pools.TryGetValue(language, out var pool))
        {
            pool.RecordDemand(_time.GetUtcNow(), _options.DemandWindow);
            _refillNeeded.Release();
            while (pool.TryTake(out var warm))
            {
                if (_time.GetUtcNow() - warm.StartedAt < _sandbox.MaxIdleAge)
                {
                    _metrics.SandboxTaken(language, "warm", Stopwatch.GetElapsedTime(started));
                    return warm;
                }
                _ = warm.DisposeAsync().AsTask();
            }
        }

        var cold = await _factory.StartAsync(shape, labels, RunLifetime, cancellationToken);
        _metrics.SandboxTaken(language, "cold", Stopwatch.GetElapsedTime(started));
        return cold;
    }

    /// <summary>Longest a container can exist: idle in the pool, then the longest run with its compile step.</summary>
    private TimeSpan RunLifetime => _sandbox.MaxIdleAge + TimeSpan.FromMinutes(3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var parallel = new SemaphoreSlim(_options.RefillParallelism);
        var refills = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            refills.RemoveAll(task => task.IsCompleted);
            foreach (var pool in _pools.Values)
            {
                RetireAged(pool);
                var missing = TargetOf(pool) - pool.IdleCount - pool.Starting;
                for (var i = 0; i < missing; i++)
                {
                    pool.BeginStart();
                    refills.Add(RefillOneAsync(pool, parallel, stoppingToken));
                }
            }

            try
            {
                await _refillNeeded.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(refills);
        foreach (var pool in _pools.Values)
        {
            while (pool.TryTake(out var idle))
            {
                await idle.DisposeAsync();
            }
        }
    }

    private int TargetOf(LanguagePool pool)
    {
        var demand = pool.DemandPerSecond(_time.GetUtcNow(), _options.DemandWindow);
        return Math.Min(_options.MaxSize, _options.SizeOf(pool.Language) + (int)Math.Ceiling(demand));
    }

    private void RetireAged(LanguagePool pool)
    {
        var now = _time.GetUtcNow();
        foreach (var aged in pool.TakeOlderThan(now - _sandbox.MaxIdleAge))
        {
            _ = aged.DisposeAsync().AsTask();
        }
    }

    private async Task RefillOneAsync(LanguagePool pool, SemaphoreSlim parallel, CancellationToken stoppingToken)
    {
        try
        {
            await parallel.WaitAsync(stoppingToken);
            try
            {
                var labels = new Dictionary<string, string> { [SandboxLabels.Pool] = pool.Language };
                pool.Add(await _factory.StartAsync(DefaultShape, labels, RunLifetime, stoppingToken));
            }
            finally
            {
                parallel.Release();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            _logger.LogWarning(exception, "Could not start a warm {Language} sandbox", pool.Language);
            // An engine that refuses now is asked again on the next tick, not in a tight loop.
            await Task.Delay(TimeSpan.FromSeconds(1), _time, CancellationToken.None);
        }
        finally
        {
            pool.EndStart();
        }
    }
}
