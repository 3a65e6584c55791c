using System.Text;
using System.Text.Json;
using WebIde.Ot;

namespace WebIde.Collaboration.Documents;

/// <summary>
/// Strings read from JSON as JavaScript reads them: a document's text may hold a lone surrogate
/// (ot.js splits pairs), which System.Text.Json's own string reading refuses.
/// </summary>
public static class JsonText
{
    public static string ReadString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"expected a string, found {reader.TokenType}");
        }
        return reader.ValueIsEscaped ? JsonStringCodec.Unescape(reader.ValueSpan) : Encoding.UTF8.GetString(reader.ValueSpan);
    }

    public static string Quote(string text) => JsonStringCodec.Quote(text);

    /// <summary>The text of a quoted JSON string that <see cref="Quote"/> made.</summary>
    public static string Unquote(string quoted) => JsonStringCodec.Unescape(Encoding.UTF8.GetBytes(quoted.Substring(1, quoted.Length - 2)));

    public static StringBuilder AppendQuoted(this StringBuilder json, string text)
    {
        JsonStringCodec.AppendQuoted(json, text);
        return json;
    }
}
