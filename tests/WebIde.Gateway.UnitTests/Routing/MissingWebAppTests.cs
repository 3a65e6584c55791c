using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>A gateway whose web app is not built still starts and answers plainly.</summary>
public sealed class MissingWebAppTests
{
    private static readonly string[] ShellPaths = ["/", "/w/123"];

    [TestCaseSource(nameof(ShellPaths))]
    public async Task TheShellIsAProblem404WhenTheWebRootDoesNotExist(string path)
    {
        var missing = Path.Combine(Path.GetTempPath(), $"webide-no-webroot-{Guid.NewGuid():N}");
        await using var gateway = new GatewayFactory([new("WebApp:Root", missing), new("services:identity:http:0", "http://127.0.0.1:1")]);
        await gateway.StartAsync();
        using var client = gateway.CreateHttpClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem.GetProperty("service").GetString(), Is.EqualTo("gateway"));
        }
    }
}
