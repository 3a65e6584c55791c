using System.Diagnostics;

namespace WebIde.Bench;

/// <summary>
/// Runs one operation from several workers for a fixed time and reports throughput and
/// latency percentiles. A failed operation is counted, never hidden in the rate.
/// </summary>
public static class LoadRun
{
    /// <param name="interval">When given, each worker starts an operation at most this often (an arrival rate, not back to back).</param>
    public static async Task<LoadResult> MeasureAsync(string name, int concurrency, TimeSpan duration, Func<int, long, Task<bool>> operation, TimeSpan? interval = null)
    {
        var latencies = new List<double>[concurrency];
        var errors = 0L;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var mine = latencies[worker] = [];
            for (long iteration = 0; stopwatch.Elapsed < duration; iteration++)
            {
                var started = Stopwatch.GetTimestamp();
                var ok = await operation(worker, iteration);
                var elapsed = Stopwatch.GetElapsedTime(started);
                mine.Add(elapsed.TotalMilliseconds);
                if (!ok)
                {
                    Interlocked.Increment(ref errors);
                }
                if (interval is { } every && every > elapsed)
                {
                    await Task.Delay(every - elapsed);
                }
            }
        }));

        var all = latencies.SelectMany(list => list).Order().ToArray();
        return new LoadResult(name, all.Length / stopwatch.Elapsed.TotalSeconds, Percentile(all, 0.50), Percentile(all, 0.99), all.Length, errors);
    }

    /// <summary>
    /// Open loop: operations start at <paramref name="perSecond"/> on a fixed schedule, whether or not
    /// earlier ones have finished, and each one's latency counts from when it was due, so a stall
    /// shows as the queue behind it rather than as fewer operations.
    /// </summary>
    public static async Task<LoadResult> OpenLoopAsync(string name, double perSecond, TimeSpan duration, Func<long, Task<bool>> operation)
    {
        var latencies = new List<double>();
        var errors = 0L;
        var started = Stopwatch.GetTimestamp();
        var pending = new List<Task>();
        var total = (long)(duration.TotalSeconds * perSecond);
        for (long i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            var wait = due - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
            var iteration = i;
            pending.Add(Task.Run(async () =>
            {
                var ok = await operation(iteration);
                var latency = (Stopwatch.GetElapsedTime(started) - due).TotalMilliseconds;
                lock (latencies)
                {
                    latencies.Add(latency);
                }
                if (!ok)
                {
                    Interlocked.Increment(ref errors);
                }
            }));
        }
        await Task.WhenAll(pending);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var all = latencies.Order().ToArray();
        return new LoadResult(name, all.Length / elapsed.TotalSeconds, Percentile(all, 0.50), Percentile(all, 0.99), all.Length, errors);
    }

    internal static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(fraction * sorted.Length) - 1)];
}
