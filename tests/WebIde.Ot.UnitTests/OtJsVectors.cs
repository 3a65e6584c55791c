using System.Text;
using System.Text.Json;

namespace WebIde.Ot.UnitTests;

/// <summary>
/// The vectors ot.js wrote. Every entry is one JSON.stringify line, so the raw text of an
/// element in it is exactly what JSON.stringify gave for that value in Node.
/// </summary>
internal static class OtJsVectors
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Vectors", "ot-js-vectors.json"))));

    public static JsonElement Root => Document.Value.RootElement;

    public static IEnumerable<TestCaseData> Section(string name) =>
        Root.GetProperty(name).EnumerateArray().Select((entry, index) =>
            new TestCaseData(entry).SetArgDisplayNames($"{name} {index}"));

    /// <summary>
    /// A string from the vectors. JsonElement.GetString refuses lone surrogate escapes, which
    /// ot.js writes for documents whose surrogate pairs an operation split.
    /// </summary>
    public static string Text(JsonElement element)
    {
        var quoted = Encoding.UTF8.GetBytes(element.GetRawText());
        return JsonStringCodec.Unescape(quoted.AsSpan(1, quoted.Length - 2));
    }

    public static TextOperation Operation(JsonElement element) => TextOperation.FromJson(element.GetRawText());

    /// <summary>A string as JSON.stringify writes it, for byte-for-byte comparison with the vectors.</summary>
    public static string Quote(string text)
    {
        var json = new StringBuilder();
        JsonStringCodec.AppendQuoted(json, text);
        return json.ToString();
    }
}
