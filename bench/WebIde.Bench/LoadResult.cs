using System.Globalization;

namespace WebIde.Bench;

public sealed record LoadResult(string Name, double PerSecond, double P50Milliseconds, double P99Milliseconds, long Operations, long Errors)
{
    public static string Header => "| measurement | ops/s | p50 ms | p99 ms | operations | errors |\n|---|---:|---:|---:|---:|---:|";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"| {Name} | {PerSecond:F0} | {P50Milliseconds:F1} | {P99Milliseconds:F1} | {Operations} | {Errors} |");
}
