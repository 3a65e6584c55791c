using System.Net;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>The gateway serves the built web app: its shell never cached, its hashed assets for good.</summary>
public sealed class WebAppTests
{
    [TestCase("/")]
    [TestCase("/w/123")]
    [TestCase("/w/6f1c0f1e-0000-4000-8000-000000000001/files/src/main.py")]
    public async Task ClientSideRoutesAnswerTheShellUncached(string path)
    {
        using var client = GatewayUnderTest.Gateway.CreateHttpClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
            Assert.That(response.Headers.CacheControl?.NoCache, Is.True);
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(GatewayUnderTest.IndexHtml));
        }
    }

    [Test]
    public async Task TheShellByItsOwnNameIsUncachedToo()
    {
        using var client = GatewayUnderTest.Gateway.CreateHttpClient();

        using var response = await client.GetAsync(new Uri("/index.html", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.CacheControl?.NoCache, Is.True);
    }

    [Test]
    public async Task AHashedAssetIsCachedForAYearAsImmutable()
    {
        using var client = GatewayUnderTest.Gateway.CreateHttpClient();

        using var response = await client.GetAsync(new Uri(GatewayUnderTest.AssetPath, UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/javascript"));
            Assert.That(response.Headers.CacheControl?.ToString(), Is.EqualTo("public, max-age=31536000, immutable"));
        }
    }

    [Test]
    public async Task AMissingAssetIsA404NotTheShell()
    {
        // After a deploy, an old tab asks for assets that no longer exist: HTML in their place
        // would fail as a script with a MIME error instead of a plain 404 the app can act on.
        using var client = GatewayUnderTest.Gateway.CreateHttpClient();

        using var response = await client.GetAsync(new Uri("/assets/app-old999.js", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.Not.EqualTo("text/html"));
    }
}
