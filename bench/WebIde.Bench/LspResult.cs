using System.Globalization;

namespace WebIde.Bench;

/// <summary>One language's row of the lsp benchmark; what was not reached stays empty.</summary>
public sealed class LspResult(string language)
{
    public static string Header =>
        "| language | server | initialize ms | first completion ms (tries) | warm p50 ms | warm p99 ms | warm max ms | warm errors | memory MiB | items seen | result |\n"
        + "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|";

    public string Language { get; } = language;

    /// <summary>The server's <c>serverInfo</c> from its initialize answer: name and version.</summary>
    public string? Server { get; set; }

    public double? InitializeMilliseconds { get; set; }

    /// <summary>From opening the socket to the first completion answer that held the sample's expected item.</summary>
    public double? FirstCompletionMilliseconds { get; set; }

    public int FirstCompletionTries { get; set; }

    /// <summary>When the first answer with any items came, the expected one or not.</summary>
    public double? FirstItemsMilliseconds { get; set; }

    /// <summary>Latency of each warm completion that was answered, in the order sent.</summary>
    public List<double> WarmMilliseconds { get; } = [];

    /// <summary>Warm completions answered without the expected item, with an error, or not in time.</summary>
    public int WarmErrors { get; set; }

    public double? MemoryMebibytes { get; set; }

    public IReadOnlyList<string> Labels { get; set; } = [];

    /// <summary>Why the language's measurement stopped short, or null when it went through.</summary>
    public string? Failure { get; set; }

    public bool Ok => Failure is null && WarmErrors == 0;

    public double WarmPercentile(double fraction) => LoadRun.Percentile([.. WarmMilliseconds.Order()], fraction);

    public override string ToString()
    {
        static string Number(double? value) => value is { } number && !double.IsNaN(number) ? number.ToString("F1", CultureInfo.InvariantCulture) : "–";
        static string Cell(string? text) => string.IsNullOrEmpty(text) ? "–" : text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');
        var earlier = FirstItemsMilliseconds < FirstCompletionMilliseconds ? string.Create(CultureInfo.InvariantCulture, $"; other items at {FirstItemsMilliseconds:F0}") : "";
        var first = FirstCompletionMilliseconds is null ? "–" : string.Create(CultureInfo.InvariantCulture, $"{FirstCompletionMilliseconds:F0} ({FirstCompletionTries}{earlier})");
        return string.Create(CultureInfo.InvariantCulture,
            $"| {Language} | {Cell(Server)} | {Number(InitializeMilliseconds)} | {first} | {Number(WarmPercentile(0.50))} | {Number(WarmPercentile(0.99))} | {Number(WarmPercentile(1))} | {WarmErrors} | {Number(MemoryMebibytes)} | {Cell(string.Join(", ", Labels.Select(label => $"`{label}`")))} | {Cell(Failure is null ? (WarmErrors == 0 ? "ok" : "warm errors") : $"FAILED: {Failure}")} |");
    }
}
