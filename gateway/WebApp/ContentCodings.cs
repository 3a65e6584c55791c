using Microsoft.Net.Http.Headers;

namespace WebIde.Gateway.WebApp;

/// <summary>Which content coding a request gets, by its <c>Accept-Encoding</c> (RFC 9110 §12.5.3).</summary>
internal static class ContentCodings
{
    private const string Identity = "identity";
    private const string Any = "*";

    /// <summary>
    /// The coding among <paramref name="available"/> (in the server's order of preference) with
    /// the highest weight the request gives it, or <c>null</c> for the file as it is. Ties go to
    /// the earlier coding, and to a coding over identity unless the request weighs identity higher.
    /// </summary>
    public static string? Choose(IList<StringWithQualityHeaderValue> accepted, IEnumerable<string> available)
    {
        string? chosen = null;
        var chosenWeight = 0.0;
        foreach (var coding in available)
        {
            var weight = WeightOf(accepted, coding) ?? WeightOf(accepted, Any) ?? 0;
            if (weight > chosenWeight)
            {
                chosen = coding;
                chosenWeight = weight;
            }
        }
        // Identity is acceptable unless excluded, but only an explicit weight competes with a coding.
        return chosenWeight >= (WeightOf(accepted, Identity) ?? 0) ? chosen : null;
    }

    private static double? WeightOf(IList<StringWithQualityHeaderValue> accepted, string coding)
    {
        var entry = accepted.FirstOrDefault(value => string.Equals(value.Value.Value, coding, StringComparison.OrdinalIgnoreCase));
        return entry is null ? null : entry.Quality ?? 1;
    }
}
