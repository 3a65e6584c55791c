using System.Text.Json;

namespace WebIde.IntegrationTests;

/// <summary>How a run of a Node harness ended: its exit code and its JSON summary (the last stdout line).</summary>
public sealed record HarnessResult(int ExitCode, JsonElement Summary, string Stdout)
{
    public static HarnessResult From(int exitCode, IReadOnlyList<string> stdout)
    {
        var last = stdout.LastOrDefault(line => line.TrimStart().StartsWith('{'));
        var summary = last is null ? default : JsonDocument.Parse(last).RootElement.Clone();
        return new HarnessResult(exitCode, summary, string.Join('\n', stdout));
    }

    public bool HasSummary => Summary.ValueKind == JsonValueKind.Object;

    public long Number(string name) => Summary.GetProperty(name).ValueKind == JsonValueKind.Number ? Summary.GetProperty(name).GetInt64() : 0;

    /// <summary>Resume times (ms) of the connections the server side dropped, each from the drop to <c>joined</c>.</summary>
    public IReadOnlyList<long> ServerDropResumeMs => [.. Summary.GetProperty("serverDropResumeMs").EnumerateArray().Select(value => value.GetInt64())];

    /// <summary>The failed sessions as the harness describes them (with the command that replays each).</summary>
    public string Failures => HasSummary ? Summary.GetProperty("failures").GetRawText() : Stdout;

    public override string ToString() => HasSummary ? Summary.GetRawText() : $"exit {ExitCode}, no summary; stdout: {Stdout}";
}
