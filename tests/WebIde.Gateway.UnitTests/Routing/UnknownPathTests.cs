using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>A server path no service owns is the gateway's own 404, never the web app's shell.</summary>
public sealed class UnknownPathTests
{
    [TestCase("GET", "/api/no-such-thing")]
    [TestCase("POST", "/api/no-such-thing")]
    [TestCase("GET", "/api/workspaces/6f1c0f1e-0000-4000-8000-000000000001/no-such-thing")]
    [TestCase("GET", "/api")]
    [TestCase("GET", "/ws/no-such-thing")]
    [TestCase("GET", "/ws")]
    public async Task AnUnknownServerPathAnswersTheGatewaysProblem(string method, string path)
    {
        using var client = GatewayUnderTest.Gateway.CreateHttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));

        using var response = await client.SendAsync(request);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(404));
            Assert.That(problem.GetProperty("service").GetString(), Is.EqualTo("gateway"));
            Assert.That(problem.GetProperty("traceId").GetString(), Is.Not.Empty);
        }
    }
}
