using System.Net;
using System.Text.Json;

namespace WebIde.IntegrationTests.Files;

/// <summary>What every refusal must look like (docs/api.md §0): RFC 9457 problem+json with status, title and detail.</summary>
public static class Problems
{
    public const string MediaType = "application/problem+json";

    /// <summary>Asserts the status and the problem's shape; returns the problem for further checks.</summary>
    public static async Task<JsonElement> AssertAsync(HttpResponseMessage response, HttpStatusCode status, string? because = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        var context = $"{because} → {(int)response.StatusCode} {text}".Trim();
        Assert.That(response.StatusCode, Is.EqualTo(status), context);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(MediaType), context);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.That(problem.TryGetProperty("status", out var number) && number.ValueKind == JsonValueKind.Number ? number.GetInt32() : -1, Is.EqualTo((int)status), context);
        Assert.That(problem.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String && title.GetString()!.Length > 0, Is.True, $"no title: {context}");
        Assert.That(problem.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String && detail.GetString()!.Length > 0, Is.True, $"no detail: {context}");
        return problem;
    }

    /// <summary>
    /// The problem without what differs from one request to the next: its trace id, and the
    /// <c>instance</c> that only echoes the path the caller sent.
    /// </summary>
    public static async Task<string> ComparableAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        JsonElement problem;
        try
        {
            problem = JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException)
        {
            return $"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} {text}";
        }
        if (problem.ValueKind != JsonValueKind.Object)
        {
            return $"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} {text}";
        }
        var kept = problem.EnumerateObject().Where(property => property.Name is not ("traceId" or "instance"))
            .OrderBy(property => property.Name, StringComparer.Ordinal)
            .Select(property => $"{property.Name}={property.Value.GetRawText()}");
        return $"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} {string.Join(", ", kept)}";
    }
}
