using System.Globalization;

namespace WebIde.Bench;

public sealed record BenchOptions(string Benchmark, Uri Gateway, Uri GrpcAddress, TimeSpan Duration, int Concurrency, int TreeFiles, TimeSpan PacedInterval)
{
    public static BenchOptions Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
        }

        return new BenchOptions(
            args.FirstOrDefault(arg => !arg.StartsWith("--", StringComparison.Ordinal)) ?? "",
            new Uri(Value("--url", "http://127.0.0.1:8080")),
            new Uri(Value("--grpc", "http://127.0.0.1:8081")),
            TimeSpan.FromSeconds(double.Parse(Value("--seconds", "10"), CultureInfo.InvariantCulture)),
            int.Parse(Value("--concurrency", "16"), CultureInfo.InvariantCulture),
            int.Parse(Value("--files", "10000"), CultureInfo.InvariantCulture),
            TimeSpan.FromMilliseconds(double.Parse(Value("--interval-ms", "1000"), CultureInfo.InvariantCulture)));
    }
}
