using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace WebIde.IntegrationTests.Files;

/// <summary>docs/api.md §3: files are bytes and paths are UTF-8; neither is re-encoded or normalized on the way.</summary>
public sealed class ContentAndNameTests
{
    private static async Task<(HttpStatusCode Written, byte[] Read, string? ReadType)> RoundTripAsync(FileWorkspace workspace, string path, byte[] content, string contentType)
    {
        var request = workspace.Request(HttpMethod.Put, $"files/{path}");
        request.Content = new ByteArrayContent(content);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var written = await workspace.Client.SendAsync(request);
        using var read = await workspace.GetAsync(path);
        return (written.StatusCode, await read.Content.ReadAsByteArrayAsync(), read.Content.Headers.ContentType?.ToString());
    }

    [Test]
    public async Task EveryByteValueAndInvalidUtf8RoundTripByteForByte()
    {
        using var workspace = await FileWorkspace.CreateAsync();
        byte[] content =
        [
            0xEF, 0xBB, 0xBF, // a UTF-8 byte order mark first
            .. Enumerable.Range(0, 256).Select(value => (byte)value),
            0xC3, 0x28, 0x80, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xF8, 0x88, 0x80, 0x80, 0x80, // invalid UTF-8 of several kinds
            (byte)'\r', (byte)'\n', (byte)'\r', 0x00, (byte)'\n',
            0xFF, 0xFE, // a UTF-16 byte order mark last
        ];

        var (written, read, _) = await RoundTripAsync(workspace, "blob.bin", content, "application/octet-stream");
        var tree = await workspace.TreeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(written, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(read, Is.EqualTo(content));
            Assert.That(tree["blob.bin"].GetProperty("size").GetInt64(), Is.EqualTo(content.Length));
        });
    }

    [Test]
    public async Task TextIsStoredAsSentWhateverCharsetItDeclares()
    {
        using var workspace = await FileWorkspace.CreateAsync();
        var utf8 = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("line 1\r\nline 2\rline 3\nnaïve 日本 😀\r\n")).ToArray();
        var utf16 = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("héllo\r\nwörld")).ToArray();
        var latin1 = Encoding.Latin1.GetBytes("café\r\n");

        var asUtf8 = await RoundTripAsync(workspace, "utf8.txt", utf8, "text/plain; charset=utf-8");
        var asUtf16 = await RoundTripAsync(workspace, "utf16.txt", utf16, "text/plain; charset=utf-16");
        var asLatin1 = await RoundTripAsync(workspace, "latin1.txt", latin1, "text/plain; charset=iso-8859-1");
        var asJson = await RoundTripAsync(workspace, "data.json", utf8, "application/json");

        Assert.Multiple(() =>
        {
            Assert.That(asUtf8.Read, Is.EqualTo(utf8), "UTF-8 with BOM and CRLF");
            Assert.That(asUtf16.Read, Is.EqualTo(utf16), "UTF-16");
            Assert.That(asLatin1.Read, Is.EqualTo(latin1), "Latin-1");
            Assert.That(asJson.Read, Is.EqualTo(utf8), "declared as JSON");
            Assert.That(new[] { asUtf8.Written, asUtf16.Written, asLatin1.Written, asJson.Written }, Has.All.EqualTo(HttpStatusCode.Created));
            Assert.That(asUtf8.ReadType, Is.EqualTo("application/octet-stream"), "bytes come back as bytes, with no charset claimed");
        });
    }

    [Test]
    public async Task NamesWithUnicodeSpacesAndPunctuationRoundTripExactly()
    {
        using var workspace = await FileWorkspace.CreateAsync();
        string[] names =
        [
            "docs/naïve 日本.md",
            "with space.txt",
            "plus+and&amp;=.txt",
            "50%.txt",
            "100%25ab.txt", // a literal "%25": must not be decoded a second time
            "%2e%2e", // literally that: only the client's own percent-encoding is undone
            "hash#and?query.md",
            "quotes 'single' \"double\".txt",
            "[brackets]{braces}.txt",
            "caf\u00e9.txt", // é precomposed
            "cafe\u0301.txt", // é decomposed: another name, as on Linux
            "emoji 😀/file.txt",
            ".gitignore",
            "...",
            "a..b/c",
            "~tilde!$'()*,;:@.txt",
        ];
        foreach (var name in names)
        {
            using var written = await workspace.PutTextAsync(FileWorkspace.Escaped(name), $"content of {name}");
            Assert.That(written.StatusCode, Is.EqualTo(HttpStatusCode.Created), $"{name}: {await written.Content.ReadAsStringAsync()}");
        }

        var tree = await workspace.TreeAsync();
        var reads = new Dictionary<string, string?>();
        foreach (var name in names)
        {
            using var read = await workspace.GetAsync(FileWorkspace.Escaped(name));
            reads[name] = read.StatusCode == HttpStatusCode.OK ? Encoding.UTF8.GetString(await read.Content.ReadAsByteArrayAsync()) : $"{read.StatusCode}";
        }
        // HttpClient percent-encodes a path with spaces and non-ASCII by itself, as browsers do.
        using var unescaped = await workspace.GetAsync("docs/naïve 日本.md");

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(tree.Keys, Is.SupersetOf(names));
            Assert.That(tree.Keys, Is.SupersetOf(new[] { "docs", "emoji 😀", "a..b" }));
            Assert.That(tree.Count, Is.EqualTo(FileWorkspace.StarterFiles.Length + names.Length + 3), string.Join(" | ", tree.Keys));
            Assert.That(reads, Is.EquivalentTo(names.ToDictionary(name => name, name => (string?)$"content of {name}")));
            Assert.That(unescaped.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Encoding.UTF8.GetString(await unescaped.Content.ReadAsByteArrayAsync()), Is.EqualTo("content of docs/naïve 日本.md"));
        });
    }
}
