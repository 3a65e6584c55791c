using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>gRPC callers reach execution's HTTP/2 endpoint through the gateway's grpc listener.</summary>
public sealed class GrpcRoutingTests
{
    [TestCase("/grpc.health.v1.Health/Check")]
    [TestCase("/grpc.health.v1.Health/Watch")]
    [TestCase("/webide.execution.v1.Execution/ListLanguages")]
    [TestCase("/webide.execution.v1.Execution/Run")]
    [TestCase("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")]
    [TestCase("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo")]
    public async Task AnHttp2PriorKnowledgeCallReachesExecutionsGrpcEndpoint(string method)
    {
        using var client = GatewayUnderTest.Gateway.CreateGrpcClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(method, UriKind.Relative))
        {
            // An empty gRPC message: not compressed, length 0.
            Content = new ByteArrayContent(new byte[5]),
            // A message built by hand does not take the client's default version.
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("TE", "trailers");

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        var seen = JsonSerializer.Deserialize<EchoedRequest>(body, JsonSerializerOptions.Web);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Version, Is.EqualTo(HttpVersion.Version20));
            Assert.That(seen?.Listener, Is.EqualTo(EchoServices.ExecutionGrpc));
            Assert.That(seen?.Protocol, Is.EqualTo("HTTP/2"));
            Assert.That(seen?.Target, Is.EqualTo(method));
        }
    }
}
