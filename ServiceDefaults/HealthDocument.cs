using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>The JSON shape of every <c>/health</c> answer, the gateway's included.</summary>
public sealed record HealthDocument(string Status, double TotalMilliseconds, IReadOnlyDictionary<string, HealthEntry> Entries)
{
    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static HealthDocument From(HealthReport report) => new(
        report.Status.ToString(),
        report.TotalDuration.TotalMilliseconds,
        report.Entries.ToDictionary(
            entry => entry.Key,
            entry => new HealthEntry(
                entry.Value.Status.ToString(),
                entry.Value.Description ?? entry.Value.Exception?.Message,
                entry.Value.Duration.TotalMilliseconds,
                entry.Value.Data.Count == 0 ? null : entry.Value.Data.ToDictionary(data => data.Key, data => data.Value))));
}
