using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>Every path family of the public API (docs/api.md) reaches the service that owns it, unchanged.</summary>
public sealed class RouteTableTests
{
    private const string Workspace = "/api/workspaces/6f1c0f1e-0000-4000-8000-000000000001";

    private static readonly object[] ContractRoutes =
    [
        // §1 Identity
        new object[] { "POST", "/api/auth/register", EchoServices.Identity },
        new object[] { "POST", "/api/auth/login", EchoServices.Identity },
        new object[] { "POST", "/api/auth/refresh", EchoServices.Identity },
        new object[] { "POST", "/api/auth/logout", EchoServices.Identity },
        new object[] { "GET", "/api/auth/me", EchoServices.Identity },
        new object[] { "GET", "/api/auth/jwks", EchoServices.Identity },
        // §2 Workspaces and roles
        new object[] { "POST", "/api/workspaces", EchoServices.Identity },
        new object[] { "GET", "/api/workspaces", EchoServices.Identity },
        new object[] { "GET", Workspace, EchoServices.Identity },
        new object[] { "DELETE", Workspace, EchoServices.Identity },
        new object[] { "PUT", $"{Workspace}/members/alice", EchoServices.Identity },
        new object[] { "DELETE", $"{Workspace}/members/bob.smith_2-x", EchoServices.Identity },
        // §3 Files
        new object[] { "GET", $"{Workspace}/tree", EchoServices.FileSystem },
        new object[] { "GET", $"{Workspace}/usage", EchoServices.FileSystem },
        new object[] { "GET", $"{Workspace}/files/main.py", EchoServices.FileSystem },
        new object[] { "GET", $"{Workspace}/files/src/app/deep/er/main.py", EchoServices.FileSystem },
        new object[] { "PUT", $"{Workspace}/files/src/h%C3%A9llo%20w%C3%B6rld.py", EchoServices.FileSystem },
        new object[] { "DELETE", $"{Workspace}/files/src/lib", EchoServices.FileSystem },
        new object[] { "POST", $"{Workspace}/directories/src/lib/util", EchoServices.FileSystem },
        new object[] { "POST", $"{Workspace}/move", EchoServices.FileSystem },
        // §5 Running code
        new object[] { "GET", "/api/languages", EchoServices.Execution },
        new object[] { "POST", $"{Workspace}/runs", EchoServices.Execution },
        new object[] { "POST", $"{Workspace}/check", EchoServices.Execution },
        // The services' OpenAPI documents (docs/api.md §0)
        new object[] { "GET", "/openapi/identity.json", EchoServices.Identity },
        new object[] { "GET", "/openapi/filesystem.json", EchoServices.FileSystem },
        new object[] { "GET", "/openapi/execution.json", EchoServices.Execution },
        // WebSockets, as browsers address them (the token in the query)
        new object[] { "GET", "/ws/collab/6f1c0f1e-0000-4000-8000-000000000001?client=eyJ.a-b_c.d%2Be", EchoServices.Collaboration },
        new object[] { "GET", "/ws/exec/6f1c0f1e-0000-4000-8000-000000000001?client=eyJ.a-b_c.d%2Be", EchoServices.Execution },
    ];

    [TestCaseSource(nameof(ContractRoutes))]
    public async Task EachPathReachesTheServiceThatOwnsItUnchanged(string method, string target, string listener)
    {
        using var client = GatewayUnderTest.Gateway.CreateHttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(target, UriKind.Relative));
        if (method is "POST" or "PUT")
        {
            request.Content = JsonContent.Create(new { });
        }

        using var response = await client.SendAsync(request);
        var seen = await response.Content.ReadFromJsonAsync<EchoedRequest>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(seen?.Listener, Is.EqualTo(listener));
            Assert.That(seen?.Method, Is.EqualTo(method));
            Assert.That(seen?.Target, Is.EqualTo(target));
        }
    }

    [Test]
    public async Task QueryStringsReachTheServiceUnchanged()
    {
        using var client = GatewayUnderTest.Gateway.CreateHttpClient();

        using var response = await client.GetAsync(new Uri($"{Workspace}/tree?path=src%2Fapp&depth=2", UriKind.Relative));
        var seen = await response.Content.ReadFromJsonAsync<EchoedRequest>();

        Assert.That(seen?.Target, Is.EqualTo($"{Workspace}/tree?path=src%2Fapp&depth=2"));
    }

    [Test]
    public async Task ATokenTheGatewayCannotVerifyStopsThereWith401()
    {
        using var client = GatewayUnderTest.Gateway.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{Workspace}/tree", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "token-123");

        using var response = await client.SendAsync(request);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(problem.GetProperty("service").GetString(), Is.EqualTo("gateway"), "the request must not reach the service");
    }

    [Test]
    public async Task TheEventStreamReachesTheClientWhileItStaysOpen()
    {
        using var client = GatewayUnderTest.Gateway.CreateHttpClient();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));

        // The echo never ends this response: the event must arrive unbuffered.
        using var response = await client.GetAsync(new Uri($"{Workspace}/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(deadline.Token));
        var firstLine = await reader.ReadLineAsync(deadline.Token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
            Assert.That(firstLine, Does.StartWith("data: ").And.Contain($"\"listener\":\"{EchoServices.FileSystem}\""));
        }
    }
}
