using System.Globalization;
using WebIde.FileSystem.Storage;

namespace WebIde.FileSystem.Apis;

/// <summary>A file's version as an HTTP entity tag (<c>"7"</c>), and the conditions clients send with them.</summary>
public static class EntityTags
{
    public static string For(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// The write condition of <c>If-Match</c> / <c>If-None-Match</c>: <c>If-Match: *</c> or one
    /// strong tag, <c>If-None-Match: *</c>; null with <paramref name="error"/> for anything else.
    /// </summary>
    public static WriteCondition? ReadCondition(HttpRequest request, out string? error)
    {
        error = null;
        var ifMatch = request.Headers.IfMatch.ToString();
        var ifNoneMatch = request.Headers.IfNoneMatch.ToString();
        if (ifMatch.Length > 0 && ifNoneMatch.Length > 0)
        {
            error = "Send If-Match or If-None-Match, not both.";
            return null;
        }
        if (ifNoneMatch.Length > 0)
        {
            if (ifNoneMatch.Trim() == "*")
            {
                return WriteCondition.CreateOnly;
            }
            error = "If-None-Match on a write must be '*' (create only).";
            return null;
        }
        if (ifMatch.Length == 0)
        {
            return WriteCondition.None;
        }
        if (ifMatch.Trim() == "*")
        {
            return WriteCondition.Exists;
        }
        if (TryParse(ifMatch, out var version))
        {
            return WriteCondition.AtVersion(version);
        }
        error = "If-Match must be '*' or one version in quotes, like \"3\".";
        return null;
    }

    /// <summary>The version in a strong tag like <c>"7"</c>.</summary>
    public static bool TryParse(string tag, out long version)
    {
        version = 0;
        var trimmed = tag.Trim();
        return trimmed.Length > 2 && trimmed[0] == '"' && trimmed[^1] == '"'
            && long.TryParse(trimmed.AsSpan(1, trimmed.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out version)
            && version > 0;
    }
}
