using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace WebIde.AppHost.Infrastructure;

/// <summary>
/// How much memory Redis may hold (<c>WebIde:Redis:MaxMemory</c>, in Redis's own units:
/// <c>512mb</c>, <c>2gb</c>). Past it, writes fail and nothing is evicted: the operation logs and
/// session revocations kept there must not silently disappear (docs/platform.md).
/// </summary>
public static partial class RedisMemoryLimit
{
    public const string Key = "WebIde:Redis:MaxMemory";

    public const string Default = "512mb";

    /// <summary>Writes are refused with an OOM error instead of evicting keys.</summary>
    public const string Policy = "noeviction";

    public static string From(IConfiguration configuration)
    {
        var value = (configuration[Key] ?? Default).Trim().ToLowerInvariant();
        var match = Amount().Match(value);
        if (!match.Success || ulong.Parse(match.Groups["number"].Value, System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            throw new InvalidOperationException($"{Key} is '{value}'; it must be a size above zero such as 256mb, 512mb or 2gb.");
        }
        return value;
    }

    [GeneratedRegex("^(?<number>[0-9]{1,15})(b|k|kb|m|mb|g|gb)?$")]
    private static partial Regex Amount();
}
