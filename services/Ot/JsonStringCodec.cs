using System.Globalization;
using System.Text;

namespace WebIde.Ot;

/// <summary>
/// JSON strings as JavaScript writes and reads them. System.Text.Json refuses to read a lone
/// surrogate escape and writes one as U+FFFD, but ot.js may split a surrogate pair between two
/// components, so inserts travel with lone halves and must survive unchanged.
/// </summary>
public static class JsonStringCodec
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary><paramref name="text"/> as a quoted JSON string, lone surrogates kept as escapes.</summary>
    public static string Quote(string text)
    {
        var json = new StringBuilder(text.Length + 2);
        AppendQuoted(json, text);
        return json.ToString();
    }

    /// <summary>Appends <paramref name="text"/> quoted exactly as JSON.stringify quotes it (ES2019 and later).</summary>
    public static void AppendQuoted(StringBuilder json, string text)
    {
        json.Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '"':
                    json.Append("\\\"");
                    break;
                case '\\':
                    json.Append("\\\\");
                    break;
                case '\b':
                    json.Append("\\b");
                    break;
                case '\f':
                    json.Append("\\f");
                    break;
                case '\n':
                    json.Append("\\n");
                    break;
                case '\r':
                    json.Append("\\r");
                    break;
                case '\t':
                    json.Append("\\t");
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        json.Append(c).Append(text[i + 1]);
                        i++;
                    }
                    else if (c < ' ' || char.IsSurrogate(c))
                    {
                        json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        json.Append(c);
                    }

                    break;
            }
        }

        json.Append('"');
    }

    /// <summary>
    /// Decodes the raw bytes of a JSON string token (without quotes) whose syntax the reader
    /// has already checked, keeping lone surrogate escapes as the code units they name.
    /// </summary>
    /// <exception cref="DecoderFallbackException">The bytes are not valid UTF-8.</exception>
    public static string Unescape(ReadOnlySpan<byte> raw)
    {
        var text = new StringBuilder(raw.Length);
        while (!raw.IsEmpty)
        {
            var backslash = raw.IndexOf((byte)'\\');
            var plain = backslash < 0 ? raw : raw[..backslash];
            text.Append(StrictUtf8.GetString(plain));
            if (backslash < 0)
            {
                break;
            }

            var escape = raw[backslash + 1];
            var consumed = 2;
            switch (escape)
            {
                case (byte)'b':
                    text.Append('\b');
                    break;
                case (byte)'f':
                    text.Append('\f');
                    break;
                case (byte)'n':
                    text.Append('\n');
                    break;
                case (byte)'r':
                    text.Append('\r');
                    break;
                case (byte)'t':
                    text.Append('\t');
                    break;
                case (byte)'u':
                    text.Append((char)int.Parse(raw.Slice(backslash + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                    consumed = 6;
                    break;
                default:
                    // '"', '\\' and '/' stand for themselves.
                    text.Append((char)escape);
                    break;
            }

            raw = raw[(backslash + consumed)..];
        }

        return text.ToString();
    }
}
