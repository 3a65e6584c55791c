using System.Net;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>The browser-facing headers of docs/api.md §7, once each, on the app's shell, its assets, a service's proxied answers and errors alike.</summary>
public sealed class SecurityHeadersTests
{
    [TestCase("/")]
    [TestCase("/w/6f1c0f1e-0000-4000-8000-000000000001")]
    [TestCase(GatewayUnderTest.CompressedAssetPath)]
    [TestCase("/api/no/such/route")]
    [TestCase("/api/languages")]
    public async Task EveryResponseCarriesThem(string path)
    {
        using var client = GatewayUnderTest.Gateway.CreateHttpClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.Not.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(string.Join(";", response.Headers.GetValues("Content-Security-Policy")),
                Does.Contain("script-src 'self';").And.Contain("frame-ancestors 'none'").And.Not.Contain("unsafe-eval"));
            Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
            Assert.That(response.Headers.GetValues("Referrer-Policy"), Is.EqualTo(new[] { "same-origin" }));
            Assert.That(response.Headers.GetValues("X-Frame-Options"), Is.EqualTo(new[] { "DENY" }));
            Assert.That(response.Headers.Contains("Strict-Transport-Security"), Is.False, "HSTS only over HTTPS (TlsGatewayTests)");
        }
    }
}
