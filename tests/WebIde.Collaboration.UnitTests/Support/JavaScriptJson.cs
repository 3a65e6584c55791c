using System.Globalization;
using System.Text;

namespace WebIde.Collaboration.UnitTests.Support;

/// <summary>
/// What JavaScript's JSON.stringify makes of a string, written from ECMA-262's QuoteJSONString
/// (ES2019 and later: lone surrogates become lowercase <c>\uXXXX</c> escapes), so the service's
/// frames are checked against the standard rather than against its own codec.
/// </summary>
public static class JavaScriptJson
{
    public static string Stringify(string text)
    {
        var json = new StringBuilder("\"");
        for (var i = 0; i < text.Length; i++)
        {
            var unit = text[i];
            var pair = char.IsHighSurrogate(unit) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (pair)
            {
                json.Append(unit).Append(text[++i]);
                continue;
            }
            var escape = unit switch
            {
                '\b' => "\\b",
                '\t' => "\\t",
                '\n' => "\\n",
                '\f' => "\\f",
                '\r' => "\\r",
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when unit < 0x20 || char.IsSurrogate(unit) => "\\u" + ((int)unit).ToString("x4", CultureInfo.InvariantCulture),
                _ => null,
            };
            if (escape is null)
            {
                json.Append(unit);
            }
            else
            {
                json.Append(escape);
            }
        }
        return json.Append('"').ToString();
    }

    /// <summary>The UTF-8 bytes a WebSocket text frame of <paramref name="json"/> carries (it holds no lone surrogate once stringified).</summary>
    public static byte[] Utf8(string json) => new UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(json);
}
