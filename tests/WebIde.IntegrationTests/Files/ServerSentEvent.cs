using System.Text.Json;

namespace WebIde.IntegrationTests.Files;

/// <summary>One message of an event stream: an event (with its id and data) or a comment line.</summary>
public sealed record ServerSentEvent(string? Id, string? Event, string? Data, string? Comment)
{
    public bool IsComment => Comment is not null;

    public JsonElement Json => JsonDocument.Parse(Data ?? "null").RootElement.Clone();

    public long Sequence => long.Parse(Id!, System.Globalization.CultureInfo.InvariantCulture);

    public string Type => Json.GetProperty("type").GetString()!;

    public string Path => Json.GetProperty("path").GetString()!;

    public string? Property(string name) => Json.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : null;

    /// <summary>A compact picture of a change for comparing whole sequences: <c>type path [from] [entryType] [vN]</c>.</summary>
    public string Summary => string.Join(' ', new[]
    {
        Type,
        Path,
        Property("from") is { } from ? $"from:{from}" : null,
        Property("entryType"),
        Property("version") is { } version ? $"v{version}" : null,
    }.Where(part => part is not null));

    public override string ToString() => IsComment ? $": {Comment}" : $"id:{Id} {Event ?? "message"} {Data}";
}
