using System.Globalization;

namespace WebIde.Bench;

/// <param name="Languages">lsp: the languages to measure, in order.</param>
/// <param name="Completions">lsp: warm completions per language.</param>
/// <param name="FirstCompletionDeadline">lsp: how long empty first answers are retried before the language fails.</param>
/// <param name="SocketOnly">lsp: open each socket and initialize, nothing more (a sanity check of the route).</param>
public sealed record BenchOptions(
    string Benchmark, Uri Gateway, Uri GrpcAddress, TimeSpan Duration, int Concurrency, int TreeFiles, TimeSpan PacedInterval,
    IReadOnlyList<string> Languages, int Completions, TimeSpan FirstCompletionDeadline, bool SocketOnly)
{
    /// <summary>Options that stand alone; every other <c>--option</c> takes the argument after it as its value.</summary>
    private static readonly string[] Flags = ["--socket-only"];

    public static BenchOptions Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
        }

        return new BenchOptions(
            Command(args),
            new Uri(Value("--url", "http://127.0.0.1:8080")),
            new Uri(Value("--grpc", "http://127.0.0.1:8081")),
            TimeSpan.FromSeconds(double.Parse(Value("--seconds", "10"), CultureInfo.InvariantCulture)),
            int.Parse(Value("--concurrency", "16"), CultureInfo.InvariantCulture),
            int.Parse(Value("--files", "10000"), CultureInfo.InvariantCulture),
            TimeSpan.FromMilliseconds(double.Parse(Value("--interval-ms", "1000"), CultureInfo.InvariantCulture)),
            Value("--languages", string.Join(',', LspSample.All.Select(sample => sample.Language))).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            int.Parse(Value("--completions", "50"), CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(Value("--deadline-seconds", "30"), CultureInfo.InvariantCulture)),
            args.Contains("--socket-only"));
    }

    /// <summary>The first argument that is neither an option nor an option's value.</summary>
    private static string Command(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                return args[i];
            }
            if (!Flags.Contains(args[i]))
            {
                i++;
            }
        }
        return "";
    }
}
