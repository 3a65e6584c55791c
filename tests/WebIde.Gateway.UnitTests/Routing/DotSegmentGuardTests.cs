using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WebIde.Gateway.Routing;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>A traversal attempt is refused at the door instead of being resolved into another path.</summary>
public sealed class DotSegmentGuardTests
{
    [TestCase("/api/workspaces/w/files/../../etc/passwd")]
    [TestCase("/api/workspaces/w/files/a/./b")]
    [TestCase("/api/workspaces/w/files/%2e%2e/x")]
    [TestCase("/api/workspaces/w/files/a/%2E%2e/b")]
    [TestCase("/api/workspaces/w/files/a%2F..%2Fb")]
    [TestCase("/api/workspaces/w/files/a%5C..%5Cb")]
    [TestCase("/api/workspaces/w/files/..")]
    public void DotSegmentsAreFoundHoweverTheyAreSpelled(string rawPath)
    {
        Assert.That(DotSegmentGuard.HasDotSegment(rawPath), Is.True);
    }

    [TestCase("/api/workspaces/w/files/a/.gitignore")]
    [TestCase("/api/workspaces/w/files/..hidden/x...")]
    [TestCase("/api/workspaces/w/files/%252e%252e")]
    [TestCase("/")]
    [TestCase("/assets/app-abc123.js")]
    public void NamesThatOnlyContainDotsAreLeftAlone(string rawPath)
    {
        Assert.That(DotSegmentGuard.HasDotSegment(rawPath), Is.False);
    }

    [Test]
    public async Task ARequestWithADotSegmentGetsTheGatewaysProblemAndReachesNoService()
    {
        using var client = GatewayUnderTest.Gateway.CreateHttpClient();
        var target = $"{client.BaseAddress!.GetLeftPart(UriPartial.Authority)}/api/workspaces/w/files/a/%2e%2e/b";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(target, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));

        using var response = await client.SendAsync(request);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem.GetProperty("service").GetString(), Is.EqualTo("gateway"));
        }
    }
}
