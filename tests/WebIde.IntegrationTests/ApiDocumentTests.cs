using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebIde.IntegrationTests;

/// <summary>
/// Each service's OpenAPI document through the gateway, without a token (docs/api.md §0): valid
/// OpenAPI JSON that lists the paths the service answers behind the gateway.
/// </summary>
public sealed class ApiDocumentTests
{
    private static readonly object[] Documents =
    [
        new object[] { "identity", new[] { "/api/auth/register", "/api/auth/login", "/api/auth/me", "/api/workspaces", "/api/workspaces/{id}/members/{username}" } },
        new object[] { "filesystem", new[] { "/api/workspaces/{id}/tree", "/api/workspaces/{id}/usage", "/api/workspaces/{id}/files/{path}", "/api/workspaces/{id}/move", "/api/workspaces/{id}/events" } },
        new object[] { "execution", new[] { "/api/languages", "/api/workspaces/{id}/runs", "/api/workspaces/{id}/check" } },
    ];

    [TestCaseSource(nameof(Documents))]
    public async Task AnyoneGetsTheServicesDocumentThroughTheGateway(string service, string[] paths)
    {
        using var client = Platform.CreateGatewayClient();

        using var response = await client.GetAsync(new Uri($"/openapi/{service}.json", UriKind.Relative));
        var document = await response.Content.ReadFromJsonAsync<JsonElement>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(document.GetProperty("openapi").GetString(), Does.StartWith("3."));
            Assert.That(document.GetProperty("paths").EnumerateObject().Select(path => path.Name), Is.SupersetOf(paths));
        }
    }
}
