using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>
/// The web app's files reach a browser in the best coding it accepts, from the <c>.br</c> and
/// <c>.gz</c> files the web build writes (docs/platform.md "Web app").
/// </summary>
public sealed class CompressedWebAppTests
{
    [TestCase("gzip, deflate, br, zstd", "br")]
    [TestCase("br", "br")]
    [TestCase("gzip", "gzip")]
    [TestCase("br;q=0.2, gzip;q=0.9", "gzip")]
    [TestCase("*", "br")]
    [TestCase("*, br;q=0", "gzip")]
    [TestCase("GZIP", "gzip")]
    public async Task AnAcceptedCodingIsServedAndDecodesToTheFile(string acceptEncoding, string expected)
    {
        using var response = await GetAsync(GatewayUnderTest.CompressedAssetPath, acceptEncoding);
        var body = await response.Content.ReadAsByteArrayAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentEncoding, Is.EqualTo(new[] { expected }));
            Assert.That(response.Headers.Vary, Does.Contain("Accept-Encoding"));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/javascript"));
            Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(body.Length));
            Assert.That(body, Has.Length.LessThan(GatewayUnderTest.CompressedAsset.Length / 4));
            Assert.That(Decode(expected, body), Is.EqualTo(GatewayUnderTest.CompressedAsset));
        }
    }

    [TestCase(null)]
    [TestCase("br;q=0")]
    [TestCase("br;q=0, gzip;q=0")]
    [TestCase("identity")]
    [TestCase("gzip;q=0.5, identity")]
    [TestCase("zstd, deflate")]
    public async Task WithoutAnAcceptedCodingTheFileIsServedAsItIs(string? acceptEncoding)
    {
        using var response = await GetAsync(GatewayUnderTest.CompressedAssetPath, acceptEncoding);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentEncoding, Is.Empty);
            Assert.That(response.Headers.Vary, Does.Contain("Accept-Encoding"));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/javascript"));
            Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(GatewayUnderTest.CompressedAsset.Length));
            Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.EqualTo(GatewayUnderTest.CompressedAsset));
        }
    }

    [TestCase("br")]
    [TestCase("gzip")]
    [TestCase(null)]
    public async Task ACompressedHashedAssetIsCachedForAYearAsImmutable(string? acceptEncoding)
    {
        using var response = await GetAsync(GatewayUnderTest.CompressedAssetPath, acceptEncoding);

        Assert.That(response.Headers.CacheControl?.ToString(), Is.EqualTo("public, max-age=31536000, immutable"));
    }

    [TestCase("/")]
    [TestCase("/index.html")]
    [TestCase("/w/123")]
    public async Task TheCompressedShellIsNeverCached(string path)
    {
        using var response = await GetAsync(path, "gzip, deflate, br");
        var body = await response.Content.ReadAsByteArrayAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentEncoding, Is.EqualTo(new[] { "br" }));
            Assert.That(response.Headers.Vary, Does.Contain("Accept-Encoding"));
            Assert.That(response.Headers.CacheControl?.NoCache, Is.True);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
            Assert.That(Encoding.UTF8.GetString(Decode("br", body)), Is.EqualTo(GatewayUnderTest.IndexHtml));
        }
    }

    [TestCase("br")]
    [TestCase("gzip")]
    [TestCase(null)]
    public async Task HeadAnswersTheHeadersOfTheSameRepresentationWithoutABody(string? acceptEncoding)
    {
        using var get = await GetAsync(GatewayUnderTest.CompressedAssetPath, acceptEncoding);
        using var head = await SendAsync(HttpMethod.Head, GatewayUnderTest.CompressedAssetPath, acceptEncoding);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(head.Content.Headers.ContentEncoding, Is.EqualTo(get.Content.Headers.ContentEncoding));
            Assert.That(head.Content.Headers.ContentLength, Is.EqualTo(get.Content.Headers.ContentLength));
            Assert.That(head.Content.Headers.ContentType, Is.EqualTo(get.Content.Headers.ContentType));
            Assert.That(head.Headers.ETag, Is.EqualTo(get.Headers.ETag));
            Assert.That(head.Headers.Vary, Does.Contain("Accept-Encoding"));
            Assert.That(await head.Content.ReadAsByteArrayAsync(), Is.Empty);
        }
    }

    [Test]
    public async Task EachRepresentationHasItsOwnETagAndRevalidatesByIt()
    {
        using var brotli = await GetAsync(GatewayUnderTest.CompressedAssetPath, "br");
        using var gzip = await GetAsync(GatewayUnderTest.CompressedAssetPath, "gzip");
        using var identity = await GetAsync(GatewayUnderTest.CompressedAssetPath, null);
        var tags = new[] { brotli, gzip, identity }.Select(response => response.Headers.ETag?.Tag).ToList();

        using var sameCoding = await SendAsync(HttpMethod.Get, GatewayUnderTest.CompressedAssetPath, "br", brotli.Headers.ETag);
        using var otherCoding = await SendAsync(HttpMethod.Get, GatewayUnderTest.CompressedAssetPath, "gzip", brotli.Headers.ETag);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(tags, Has.None.Null);
            Assert.That(tags, Is.Unique);
            Assert.That(sameCoding.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(sameCoding.Headers.ETag, Is.EqualTo(brotli.Headers.ETag));
            Assert.That(sameCoding.Headers.Vary, Does.Contain("Accept-Encoding"));
            Assert.That(otherCoding.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(otherCoding.Content.Headers.ContentEncoding, Is.EqualTo(new[] { "gzip" }));
        }
    }

    [Test]
    public async Task ARangeOfACompressedRepresentationIsAnsweredWithTheWholeOfIt()
    {
        // Ranges of compressed bytes are of no use to a browser loading a script; the whole
        // representation (200) is an answer RFC 9110 allows to any range request.
        using var response = await SendAsync(HttpMethod.Get, GatewayUnderTest.CompressedAssetPath, "br", range: (0, 9));
        var body = await response.Content.ReadAsByteArrayAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentRange, Is.Null);
            Assert.That(Decode("br", body), Is.EqualTo(GatewayUnderTest.CompressedAsset));
        }
    }

    [Test]
    public async Task ARangeOfTheFileAsItIsIsStillServed()
    {
        using var response = await SendAsync(HttpMethod.Get, GatewayUnderTest.CompressedAssetPath, null, range: (0, 9));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent));
            Assert.That(response.Content.Headers.ContentEncoding, Is.Empty);
            Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.EqualTo(GatewayUnderTest.CompressedAsset[..10]));
        }
    }

    private static Task<HttpResponseMessage> GetAsync(string path, string? acceptEncoding) =>
        SendAsync(HttpMethod.Get, path, acceptEncoding);

    private static async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, string? acceptEncoding, EntityTagHeaderValue? ifNoneMatch = null, (long From, long To)? range = null)
    {
        using var client = GatewayUnderTest.Gateway.CreateHttpClient();
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }
        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(ifNoneMatch);
        }
        if (range is { } bytes)
        {
            request.Headers.Range = new RangeHeaderValue(bytes.From, bytes.To);
        }
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static byte[] Decode(string coding, byte[] body)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = coding == "br"
            ? new BrotliStream(input, CompressionMode.Decompress)
            : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }
}
