using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using WebIde.Tests.Shared;

namespace WebIde.ServiceDefaults.UnitTests;

/// <summary>An operator hears that Redis fills up before it refuses writes.</summary>
public sealed class RedisMemoryMonitorTests
{
    private LocalRedis _redis = null!;
    private ConnectionMultiplexer _admin = null!;

    [OneTimeSetUp]
    public async Task StartRedisAsync()
    {
        _redis = await LocalRedis.TryStartAsync() ?? throw new IgnoreException("redis-server is not installed");
        _admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{_redis.Port},allowAdmin=true");
    }

    [OneTimeTearDown]
    public async Task StopRedisAsync()
    {
        await _admin.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Test]
    public async Task AboveEightyPercentTheGaugeSaysSoAndAWarningIsLoggedOnceAWhile()
    {
        var used = await UsedMemoryAsync();
        await SetMaxMemoryAsync((long)(used / 0.9));
        var logs = new WarningLog();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var services = Services(logs, time);
        var monitor = services.GetRequiredService<RedisMemoryMonitor>();
        await monitor.StartAsync(CancellationToken.None);
        using var gauge = new GaugeReader(services.GetRequiredService<IMeterFactory>());

        var utilization = await monitor.MeasureAsync(CancellationToken.None);
        await monitor.MeasureAsync(CancellationToken.None);
        time.Advance(RedisMemoryMonitor.WarningRepeat);
        await monitor.MeasureAsync(CancellationToken.None);
        await monitor.StopAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(utilization, Is.GreaterThan(RedisMemoryMonitor.WarningThreshold).And.LessThan(1.0));
            Assert.That(gauge.Read(), Is.EqualTo(utilization).Within(0.05));
            Assert.That(logs.Warnings, Has.Count.EqualTo(2), "once when it crossed, again after the repeat interval, not at every measurement");
            Assert.That(logs.Warnings[0], Does.Contain("WebIde:Redis:MaxMemory"));
        }
    }

    [Test]
    public async Task BelowTheThresholdNothingIsLoggedAndWithoutALimitThereIsNoMeasurement()
    {
        var used = await UsedMemoryAsync();
        var logs = new WarningLog();
        using var services = Services(logs, TimeProvider.System);
        var monitor = services.GetRequiredService<RedisMemoryMonitor>();

        await SetMaxMemoryAsync(used * 10);
        var low = await monitor.MeasureAsync(CancellationToken.None);
        await SetMaxMemoryAsync(0);
        var unbounded = await monitor.MeasureAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(low, Is.LessThan(0.2));
            Assert.That(unbounded, Is.Null);
            Assert.That(logs.Warnings, Is.Empty);
        }
    }

    private ServiceProvider Services(WarningLog logs, TimeProvider time) =>
        new ServiceCollection()
            .AddMetrics()
            .AddLogging(logging => logging.AddProvider(logs))
            .AddSingleton<IConnectionMultiplexer>(_redis.Connection)
            .AddSingleton(time)
            .AddSingleton<RedisMemoryMonitor>()
            .BuildServiceProvider();

    private async Task<long> UsedMemoryAsync()
    {
        var info = await _admin.GetServer(_admin.GetEndPoints()[0]).InfoAsync("memory");
        return long.Parse(info.SelectMany(section => section).Single(pair => pair.Key == "used_memory").Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private Task SetMaxMemoryAsync(long bytes) =>
        _admin.GetServer(_admin.GetEndPoints()[0]).ConfigSetAsync("maxmemory", bytes.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private sealed class GaugeReader : IDisposable
    {
        private readonly MeterListener _listener = new();
        private double? _last;

        public GaugeReader(IMeterFactory meters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name == RedisMemoryMonitor.InstrumentName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((_, value, _, _) => _last = value);
            _listener.Start();
        }

        public double? Read()
        {
            _listener.RecordObservableInstruments();
            return _last;
        }

        public void Dispose() => _listener.Dispose();
    }

    private sealed class WarningLog : ILoggerProvider
    {
        public List<string> Warnings { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(WarningLog log) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (logLevel == LogLevel.Warning)
                {
                    lock (log.Warnings)
                    {
                        log.Warnings.Add(formatter(state, exception));
                    }
                }
            }
        }
    }
}
