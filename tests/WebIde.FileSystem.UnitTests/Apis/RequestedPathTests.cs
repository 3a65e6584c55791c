using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using WebIde.FileSystem.Apis;

namespace WebIde.FileSystem.UnitTests.Apis;

public sealed class RequestedPathTests
{
    private const string Prefix = "/api/workspaces/0b5c2e9a-4f3d-4e21-9a8b-7c6d5e4f3a21/files/";

    private static (bool Ok, string? Path, string? Error) Read(string rawTarget)
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;
        var ok = RequestedPath.TryRead(context, out var path, out var error);
        return (ok, path, error);
    }

    [TestCase("main.py", "main.py")]
    [TestCase("src/app.ts?download=1", "src/app.ts")]
    [TestCase("docs/na%C3%AFve%20%E6%97%A5%E6%9C%AC.md", "docs/naïve 日本.md")]
    [TestCase("a%2Fb", "a/b")]
    [TestCase("100%25.txt", "100%.txt")]
    [TestCase("%252e%252e", "%2e%2e")]
    public void TheTargetIsDecodedOnce(string raw, string expected)
    {
        var (ok, path, error) = Read(Prefix + raw);

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.True, error);
            Assert.That(path, Is.EqualTo(expected));
        });
    }

    [TestCase("..")]
    [TestCase("a/../b")]
    [TestCase("%2e%2e/etc/passwd")]
    [TestCase("a/%2E%2E/b")]
    [TestCase("./a")]
    [TestCase("/etc/passwd")]
    [TestCase("a%5Cb")]
    [TestCase("a%00b")]
    [TestCase("a%01b")]
    [TestCase("a%7Fb")]
    [TestCase("a//b")]
    [TestCase("a/")]
    [TestCase("")]
    [TestCase("%")]
    [TestCase("a%2")]
    [TestCase("a%zzb")]
    [TestCase("%FF%FE")]
    [TestCase("%C3")]
    public void TraversalControlAndMalformedEncodingsAreRefused(string raw)
    {
        var (ok, _, error) = Read(Prefix + raw);

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.False);
            Assert.That(error, Is.Not.Empty);
        });
    }

    [Test]
    public void ATargetWithoutAFilePathIsRefused()
    {
        Assert.That(Read("/api/workspaces/x").Ok, Is.False);
    }
}
