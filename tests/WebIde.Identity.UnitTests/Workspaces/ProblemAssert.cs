using System.Net;
using System.Text.Json;

namespace WebIde.Identity.UnitTests.Workspaces;

public static class ProblemAssert
{
    /// <summary>The response is problem+json with <paramref name="status"/>, in the header and the body.</summary>
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo((int)status));
        Assert.That(problem.GetProperty("title").GetString(), Is.Not.Empty);
        return problem;
    }

    /// <summary>What a problem says, without what differs per request (instance, trace id).</summary>
    public static string Essence(JsonElement problem) =>
        $"{problem.GetProperty("status").GetInt32()} {problem.GetProperty("title").GetString()} {problem.GetProperty("detail").GetString()}";
}
