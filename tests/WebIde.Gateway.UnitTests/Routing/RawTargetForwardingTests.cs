using System.Net.Http.Json;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>A service sees the request target exactly as the client wrote it, escapes and all.</summary>
public sealed class RawTargetForwardingTests
{
    private const string Files = "/api/workspaces/6f1c0f1e-0000-4000-8000-000000000001/files/";

    [TestCase("a%2Fb")]
    [TestCase("%2Fetc%2Fpasswd")]
    [TestCase("a%2F%2Fb")]
    [TestCase("%C3%28")]
    [TestCase("%ED%A0%80")]
    [TestCase("a%2")]
    [TestCase("a%zzb")]
    [TestCase("h%c3%a9llo")]
    [TestCase("100%25.txt?download=1")]
    public async Task EscapesReachTheServiceUntouched(string rest)
    {
        using var client = GatewayUnderTest.Gateway.CreateHttpClient();
        var target = Files + rest;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(
            client.BaseAddress!.GetLeftPart(UriPartial.Authority) + target,
            new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));

        using var response = await client.SendAsync(request);
        var seen = await response.Content.ReadFromJsonAsync<EchoedRequest>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen?.Listener, Is.EqualTo(EchoServices.FileSystem));
            Assert.That(seen?.Target, Is.EqualTo(target));
        }
    }
}
