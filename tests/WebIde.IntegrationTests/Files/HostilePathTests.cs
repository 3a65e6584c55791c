using System.Net;
using System.Text;

namespace WebIde.IntegrationTests.Files;

/// <summary>
/// docs/api.md §3: the path rules against paths an attacker would send, through the gateway with
/// the request target exactly as written: each is 400 problem+json and nothing is created.
/// </summary>
[Category(HostileCategories.Suite), Category(HostileCategories.Http)]
public sealed class HostilePathTests
{
    private FileWorkspace _workspace = null!;

    [OneTimeSetUp]
    public async Task CreateWorkspaceAsync()
    {
        _workspace = await FileWorkspace.CreateAsync("hostile");
        using var written = await _workspace.PutTextAsync("f.txt", "a file");
        Assert.That(written.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [OneTimeTearDown]
    public void DisposeWorkspace() => _workspace.Dispose();

    private async Task<Dictionary<string, string>> SnapshotAsync() =>
        (await _workspace.TreeAsync()).ToDictionary(entry => entry.Key,
            entry => entry.Value.TryGetProperty("version", out var version) ? version.ToString() : "dir");

    /// <summary>The path (after <c>files/</c> or <c>directories/</c>) with every call that takes one.</summary>
    private async Task<List<(string Call, HttpResponseMessage Response)>> EveryPathCallAsync(string rawPath)
    {
        var answers = new List<(string, HttpResponseMessage)>();
        foreach (var (method, resource) in new[] { (HttpMethod.Put, "files"), (HttpMethod.Get, "files"), (HttpMethod.Delete, "files"), (HttpMethod.Post, "directories") })
        {
            var request = _workspace.RawRequest(method, $"{resource}/{rawPath}");
            if (method == HttpMethod.Put)
            {
                request.Content = new ByteArrayContent("pwned"u8.ToArray());
            }
            answers.Add(($"{method} {resource}/{rawPath}", await _workspace.Client.SendAsync(request)));
        }
        return answers;
    }

    [TestCase("..")]
    [TestCase("../../../etc/passwd")]
    [TestCase("a/../b")]
    [TestCase("a/..")]
    [TestCase("%2e%2e/x")]
    [TestCase("%2E%2E")]
    [TestCase("a/%2E%2E/b")]
    [TestCase(".%2e/x")]
    [TestCase("a%2F..%2Fb")]
    [TestCase("%2e%2e%2fx")]
    [TestCase("./a")]
    [TestCase("a/./b")]
    [TestCase("a/.")]
    [TestCase("%2e")]
    [TestCase("/etc/passwd")]
    [TestCase("%2Fetc%2Fpasswd")]
    [TestCase("a%5Cb")]
    [TestCase("..%5Cx")]
    [TestCase("a%5C..%5Cb")]
    [TestCase("a%01b")]
    [TestCase("a%1Fb")]
    [TestCase("a%7Fb")]
    [TestCase("a%C2%85b")] // NEL, a C1 control character
    [TestCase("a%0Ab")]
    [TestCase("a%0D%0AX-Injected:%20yes")]
    [TestCase("a//b")]
    [TestCase("a%2F%2Fb")]
    [TestCase("a/")]
    [TestCase("")]
    [TestCase("%C3%28")] // not UTF-8
    [TestCase("%ED%A0%80")] // an encoded surrogate
    [TestCase("a%2")] // a broken escape
    [TestCase("a%zzb")]
    public async Task AHostilePathIs400ProblemForEveryCallAndCreatesNothing(string rawPath)
    {
        var before = await SnapshotAsync();

        var answers = await EveryPathCallAsync(rawPath);
        var after = await SnapshotAsync();

        try
        {
            foreach (var (call, response) in answers)
            {
                await Problems.AssertAsync(response, HttpStatusCode.BadRequest, call);
            }
            Assert.That(after, Is.EquivalentTo(before), "a refused path must create nothing");
        }
        finally
        {
            answers.ForEach(answer => answer.Response.Dispose());
        }
    }

    [Test]
    public async Task ANulInThePathIs400AndCreatesNothing()
    {
        var before = await SnapshotAsync();

        var answers = await EveryPathCallAsync("a%00b");
        var after = await SnapshotAsync();

        // Kestrel may refuse it itself, with a bare 400: that is fine, as long as it is a 400.
        Assert.That(answers.Select(answer => $"{answer.Call} {answer.Response.StatusCode}"),
            Is.EqualTo(answers.Select(answer => $"{answer.Call} {HttpStatusCode.BadRequest}")));
        Assert.That(after, Is.EquivalentTo(before));
        answers.ForEach(answer => answer.Response.Dispose());
    }

    [TestCase("a\\b")]
    [TestCase("..\\..\\x")]
    [TestCase("a/../b")]
    [TestCase("a\u0001b")]
    [TestCase("a\u007fb")]
    [TestCase("a b")]
    public async Task RawBytesInTheRequestTargetAre400AndCreateNothing(string rawPath)
    {
        var before = await SnapshotAsync();

        var answer = await RawHttp.SendAsync("PUT", $"/api/workspaces/{_workspace.Id}/files/{rawPath}", _workspace.AccessToken, "pwned"u8.ToArray());
        var after = await SnapshotAsync();

        Assert.That(answer.Status, Is.EqualTo(400), answer.Head);
        if (answer.Body.Length > 0)
        {
            // When it got past Kestrel, the answer is the platform's own: a problem.
            Assert.That(answer.ContentType, Does.StartWith(Problems.MediaType), answer.Text);
        }
        Assert.That(after, Is.EquivalentTo(before));
    }

    /// <summary>A path of exactly <paramref name="bytes"/> UTF-8 bytes, in segments of at most 200 bytes made of <paramref name="unit"/>.</summary>
    private static string PathOfBytes(int bytes, string unit)
    {
        var unitBytes = Encoding.UTF8.GetByteCount(unit);
        var segment = string.Concat(Enumerable.Repeat(unit, 200 / unitBytes));
        var segmentBytes = Encoding.UTF8.GetByteCount(segment);
        var segments = new List<string>();
        var used = 0;
        while (bytes - used > segmentBytes + 1 + 20)
        {
            segments.Add(segment);
            used += segmentBytes + 1;
        }
        segments.Add(new string('x', bytes - used));
        var path = string.Join('/', segments);
        Assert.That(Encoding.UTF8.GetByteCount(path), Is.EqualTo(bytes));
        return path;
    }

    [TestCase("x")]
    [TestCase("é")]
    [TestCase("日")]
    public async Task PathsAreLimitedTo1024BytesAndSegmentsTo255(string unit)
    {
        var longest = PathOfBytes(1024, unit);
        var tooLong = PathOfBytes(1025, unit);
        var unitBytes = Encoding.UTF8.GetByteCount(unit);
        var widestSegment = string.Concat(Enumerable.Repeat(unit, 255 / unitBytes)) + new string('y', 255 % unitBytes);
        var tooWideSegment = widestSegment + "z";
        var before = await SnapshotAsync();

        using var tooLongAnswer = await _workspace.PutTextAsync(FileWorkspace.Escaped(tooLong), "x");
        using var tooLongDirectory = await _workspace.MakeDirectoryAsync(FileWorkspace.Escaped(tooLong));
        using var tooWideAnswer = await _workspace.PutTextAsync(FileWorkspace.Escaped($"dir/{tooWideSegment}"), "x");
        var afterRefusals = await SnapshotAsync();
        using var longestAnswer = await _workspace.PutTextAsync(FileWorkspace.Escaped(longest), "x");
        using var widestAnswer = await _workspace.PutTextAsync(FileWorkspace.Escaped($"dir/{widestSegment}"), "x");
        var tree = await _workspace.TreeAsync();

        await Problems.AssertAsync(tooLongAnswer, HttpStatusCode.BadRequest, "1,025 bytes");
        await Problems.AssertAsync(tooLongDirectory, HttpStatusCode.BadRequest, "1,025 bytes as a directory");
        await Problems.AssertAsync(tooWideAnswer, HttpStatusCode.BadRequest, "a 256-byte segment");
        Assert.Multiple(() =>
        {
            Assert.That(afterRefusals, Is.EquivalentTo(before));
            Assert.That(longestAnswer.StatusCode, Is.EqualTo(HttpStatusCode.Created), "1,024 bytes");
            Assert.That(widestAnswer.StatusCode, Is.EqualTo(HttpStatusCode.Created), "a 255-byte segment");
            Assert.That(tree.ContainsKey(longest) && tree.ContainsKey($"dir/{widestSegment}"), Is.True);
        });

        // Leave the shared workspace as it was for the other cases.
        foreach (var top in new[] { longest.Split('/')[0], "dir" })
        {
            using var cleaned = await _workspace.DeleteAsync(FileWorkspace.Escaped(top));
        }
    }

    [Test]
    public async Task AFileWhereADirectoryIsNeededIs409AndCreatesNothing()
    {
        var before = await SnapshotAsync();

        using var write = await _workspace.PutTextAsync("f.txt/child", "x");
        using var mkdir = await _workspace.MakeDirectoryAsync("f.txt/sub");
        using var move = await _workspace.MoveAsync("README.md", "f.txt/README.md");
        var after = await SnapshotAsync();

        await Problems.AssertAsync(write, HttpStatusCode.Conflict, "write below a file");
        await Problems.AssertAsync(mkdir, HttpStatusCode.Conflict, "directory below a file");
        await Problems.AssertAsync(move, HttpStatusCode.Conflict, "move below a file");
        Assert.That(after, Is.EquivalentTo(before));
    }

    public static IEnumerable<TestCaseData> HostileMovePaths()
    {
        string[] paths =
        [
            "..", "../x", "a/../b", "./a", "a/.", "/etc/passwd", "a\\b", "..\\x", "a\u0000b", "a\u0001b", "a\u007fb",
            "a\u0085b", "a\nb", "a//b", "a/", "", "f.txt/", PathOfBytes(1025, "x"), "dir/" + new string('s', 256),
        ];
        foreach (var path in paths)
        {
            var name = path.Length > 40 ? $"{path.Length} chars" : string.Concat(path.Select(c => c < ' ' || c > '~' ? $"\\u{(int)c:x4}" : c.ToString()));
            yield return new TestCaseData(path).SetArgDisplayNames(name);
        }
    }

    [TestCaseSource(nameof(HostileMovePaths))]
    public async Task AHostilePathInAMoveIs400AndMovesNothing(string path)
    {
        var before = await SnapshotAsync();

        using var hostileFrom = await _workspace.Client.SendAsync(FileWorkspace.WithJson(_workspace.Request(HttpMethod.Post, "move"), new { from = path, to = "moved.txt" }));
        using var hostileTo = await _workspace.Client.SendAsync(FileWorkspace.WithJson(_workspace.Request(HttpMethod.Post, "move"), new { from = "f.txt", to = path }));
        using var hostileToWithOverwrite = await _workspace.Client.SendAsync(FileWorkspace.WithJson(_workspace.Request(HttpMethod.Post, "move"), new { from = "f.txt", to = path, overwrite = true }));
        var after = await SnapshotAsync();

        await Problems.AssertAsync(hostileFrom, HttpStatusCode.BadRequest, "from");
        await Problems.AssertAsync(hostileTo, HttpStatusCode.BadRequest, "to");
        await Problems.AssertAsync(hostileToWithOverwrite, HttpStatusCode.BadRequest, "to, overwriting");
        Assert.That(after, Is.EquivalentTo(before));
    }

    [TestCase("{\"to\":\"x.txt\"}")]
    [TestCase("{\"from\":\"f.txt\"}")]
    [TestCase("{\"from\":null,\"to\":\"x.txt\"}")]
    [TestCase("{\"from\":1,\"to\":\"x.txt\"}")]
    [TestCase("{\"from\":\"f.txt\",\"to\":\"x.txt\",\"overwrite\":\"yes\"}")]
    [TestCase("{\"from\":\"f.txt\",")]
    [TestCase("{\"from\":\"f.txt\",\"to\":\"a\\ud800b\"}")] // a lone surrogate: not UTF-8 once decoded
    [TestCase("[]")]
    [TestCase("")]
    public async Task AMalformedMoveBodyIs400ProblemAndMovesNothing(string body)
    {
        var before = await SnapshotAsync();

        var request = _workspace.Request(HttpMethod.Post, "move");
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _workspace.Client.SendAsync(request);
        var after = await SnapshotAsync();

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, body);
        Assert.That(after, Is.EquivalentTo(before));
    }
}
