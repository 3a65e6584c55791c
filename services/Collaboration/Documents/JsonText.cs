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
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string ReadString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"expected a string, found {reader.TokenType}");
        }
        try
        {
            // Encoding.UTF8 would turn bytes that are not UTF-8 into U+FFFD; the strict decoding refuses them.
            return reader.ValueIsEscaped ? JsonStringCodec.Unescape(reader.ValueSpan) : StrictUtf8.GetString(reader.ValueSpan);
        }
        catch (DecoderFallbackException exception)
        {
            throw new JsonException("a string is not valid UTF-8", exception);
        }
    }

    public static string Quote(string text) => JsonStringCodec.Quote(text);

    /// <summary>The text of a quoted JSON string that <see cref="Quote"/> made.</summary>
    public static string Unquote(string quoted) => Unquote(Encoding.UTF8.GetBytes(quoted));

    /// <summary>The text of a quoted JSON string that <see cref="Quote"/> made, as UTF-8.</summary>
    public static string Unquote(ReadOnlySpan<byte> quoted) => JsonStringCodec.Unescape(quoted[1..^1]);

    public static StringBuilder AppendQuoted(this StringBuilder json, string text)
    {
        JsonStringCodec.AppendQuoted(json, text);
        return json;
    }
}
