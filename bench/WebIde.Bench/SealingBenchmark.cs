using System.Diagnostics;
using System.Globalization;
using WebIde.ServiceDefaults.Encryption;

namespace WebIde.Bench;

/// <summary>
/// The cost of encryption at rest on its own (docs/benchmarks.md, "TLS and encryption at rest"):
/// the services' <see cref="ContentCipher"/> sealing and opening values of the sizes the hot
/// paths store (a collaborative operation, a 4 KiB file, a document's base text, a large file),
/// on one thread, in process. Set beside the platform's per-request figures it says how much of
/// a write's or a keystroke's latency and CPU is the cipher's; no platform needs to run.
/// </summary>
public static class SealingBenchmark
{
    private static readonly ContentPurpose Purpose = new("bench/sealing");

    private static readonly (string What, int Bytes)[] Sizes =
    [
        ("collaborative op (JSON)", 120),
        ("4 KiB file", 4 * 1024),
        ("64 KiB document text", 64 * 1024),
        ("1 MiB file", 1024 * 1024),
    ];

    public static Task<int> RunAsync(BenchOptions options)
    {
        var cipher = ContentCipher.Throwaway();
        var perSize = options.Duration / (Sizes.Length * 2);
        Console.WriteLine($"sealing: AES-256-GCM through ContentCipher, one thread, {perSize.TotalSeconds:0.#} s per figure; load average {LoadAverage()}");
        Console.WriteLine($"{"value",-26} {"bytes",9} {"seal µs/op",11} {"open µs/op",11} {"seal MiB/s",11} {"open MiB/s",11}");
        foreach (var (what, bytes) in Sizes)
        {
            var plaintext = new byte[bytes];
            Random.Shared.NextBytes(plaintext);
            var sealedValue = cipher.Seal(Purpose, plaintext);
            var opened = new byte[bytes];
            var sealedInto = new byte[sealedValue.Length];

            var seal = Measure(perSize, () => cipher.Seal(Purpose, plaintext, sealedInto));
            var open = Measure(perSize, () => cipher.Open(Purpose, sealedValue, opened));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{what,-26} {bytes,9} {seal,11:0.00} {open,11:0.00} {Throughput(bytes, seal),11:0} {Throughput(bytes, open),11:0}"));
        }
        Console.WriteLine($"load average after: {LoadAverage()}");
        return Task.FromResult(0);
    }

    /// <summary>Microseconds per call, after a warm-up of a tenth of the time.</summary>
    private static double Measure(TimeSpan duration, Func<int> call)
    {
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < duration / 10)
        {
            call();
        }

        long calls = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            for (var i = 0; i < 64; i++)
            {
                call();
            }
            calls += 64;
        }
        return clock.Elapsed.TotalMicroseconds / calls;
    }

    private static double Throughput(int bytes, double microsecondsPerCall) => bytes / microsecondsPerCall * 1e6 / (1024 * 1024);

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
