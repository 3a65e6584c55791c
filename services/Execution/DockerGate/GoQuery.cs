using System.Globalization;
using System.Text;

namespace WebIde.Execution.DockerGate;

/// <summary>
/// A query string read as Go's <c>url.ParseQuery</c> reads it (the engine's reading): pairs split on
/// <c>&amp;</c>, <c>+</c> a space, names kept as written. A malformed escape, which Go would drop
/// silently, makes the whole query refused.
/// </summary>
public static class GoQuery
{
    public static IReadOnlyList<KeyValuePair<string, string>>? Parse(string query)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var pair in query.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }
            var parts = pair.Split('=', 2);
            if (Unescape(parts[0]) is not { } key || Unescape(parts.Length == 2 ? parts[1] : "") is not { } value)
            {
                return null;
            }
            pairs.Add(new(key, value));
        }
        return pairs;
    }

    private static string? Unescape(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '+':
                    bytes.Add((byte)' ');
                    break;
                case '%' when i + 2 < text.Length && byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var escaped):
                    bytes.Add(escaped);
                    i += 2;
                    break;
                case '%':
                    return null;
                case var other when other > 0x7f:
                    return null;
                default:
                    bytes.Add((byte)text[i]);
                    break;
            }
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString([.. bytes]);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
