using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// How full Redis is: its used memory over its <c>maxmemory</c>, read with <c>INFO memory</c>
/// every <see cref="Interval"/>, as the gauge <c>webide.redis.memory.utilization</c> (0–1) and a
/// warning in the log while it is above <see cref="WarningThreshold"/>. At its limit Redis
/// refuses writes (the platform's noeviction policy): edits, sign-ins and logouts start to fail,
/// so an operator wants to hear of it before. One process (the gateway) measures for all.
/// </summary>
public sealed class RedisMemoryMonitor(IConnectionMultiplexer redis, IMeterFactory meters, TimeProvider time, ILogger<RedisMemoryMonitor> logger)
    : BackgroundService
{
    public const string MeterName = "WebIde.Redis";
    public const string InstrumentName = "webide.redis.memory.utilization";

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    public const double WarningThreshold = 0.8;

    /// <summary>While it stays above the threshold, the warning is repeated this often, not at every measurement.</summary>
    public static readonly TimeSpan WarningRepeat = TimeSpan.FromMinutes(5);

    private readonly Lock _lock = new();
    private double? _utilization;
    private DateTimeOffset? _lastWarning;

    /// <summary>The last measurement; none while Redis could not be asked or has no limit.</summary>
    public double? Utilization
    {
        get
        {
            lock (_lock)
            {
                return _utilization;
            }
        }
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        meters.Create(MeterName).CreateObservableGauge(
            InstrumentName,
            () => Utilization is { } utilization ? [new Measurement<double>(utilization)] : Array.Empty<Measurement<double>>(),
            unit: "1",
            description: "Redis's used memory over its maxmemory; at 1 it refuses writes");
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            await MeasureAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Asks Redis once; warns when it is above the threshold.</summary>
    public async Task<double?> MeasureAsync(CancellationToken cancellationToken)
    {
        double? utilization = null;
        long used = 0, max = 0;
        try
        {
            // Sent as a plain command: the client library keeps its INFO for admin connections, which the platform's are not.
            var reply = (string?)await redis.GetDatabase().ExecuteAsync("INFO", "memory") ?? "";
            var info = reply.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(':', 2))
                .Where(pair => pair.Length == 2)
                .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
            used = long.Parse(info["used_memory"], CultureInfo.InvariantCulture);
            max = long.Parse(info["maxmemory"], CultureInfo.InvariantCulture);
            utilization = max > 0 ? (double)used / max : null;
        }
        // A stalled server answers with RedisTimeoutException: a TimeoutException, not a RedisException.
        catch (Exception exception) when (exception is RedisException or TimeoutException or KeyNotFoundException or FormatException)
        {
            logger.LogDebug(exception, "Redis's memory could not be measured");
        }

        bool warn;
        lock (_lock)
        {
            _utilization = utilization;
            var now = time.GetUtcNow();
            warn = utilization >= WarningThreshold && (_lastWarning is not { } last || now - last >= WarningRepeat);
            if (warn)
            {
                _lastWarning = now;
            }
            else if (utilization < WarningThreshold)
            {
                _lastWarning = null;
            }
        }
        if (warn)
        {
            logger.LogWarning(
                "Redis holds {UsedBytes} of its {MaxBytes} bytes ({Utilization:P0}); at its limit it refuses writes and edits, sign-ins and logouts fail. Raise WebIde:Redis:MaxMemory or find what fills it",
                used, max, utilization);
        }
        return utilization;
    }
}
