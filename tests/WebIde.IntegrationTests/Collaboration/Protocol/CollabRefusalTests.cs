using System.Net.WebSockets;
using System.Text.Json;

namespace WebIde.IntegrationTests.Collaboration.Protocol;

/// <summary>Messages the server refuses: each gets an error frame, the socket stays open and the document is unchanged.</summary>
public sealed class CollabRefusalTests
{
    private const string Path = "main.txt";
    private const string Text = "unchanged";

    private CollabWorkspace _workspace = null!;

    [OneTimeSetUp]
    public async Task CreateAsync() => _workspace = await CollabWorkspace.CreateAsync(Path, Text);

    [OneTimeTearDown]
    public void Dispose() => _workspace.Dispose();

    private static IEnumerable<TestCaseData> Refused()
    {
        yield return new TestCaseData(new { type = "op", path = Path, revision = 0, id = "len", op = new object[] { 3, "x" } }, "invalid_op").SetName("an op that does not span the document");
        yield return new TestCaseData(new { type = "op", path = Path, revision = 0, id = "neg", op = new object[] { -50 } }, "invalid_op").SetName("an op deleting past the end");
        yield return new TestCaseData(new { type = "op", path = Path, revision = 0, id = "zero", op = new object[] { 0 } }, "invalid_op").SetName("an op with a zero component");
        yield return new TestCaseData(new { type = "op", path = Path, revision = 0, id = "kind", op = new object[] { true } }, "invalid_op").SetName("an op with a boolean component");
        yield return new TestCaseData(new { type = "op", path = Path, revision = 0, op = new object[] { Text.Length } }, "invalid_op").SetName("an op without an id");
        yield return new TestCaseData(new { type = "op", path = Path, id = "norev", op = new object[] { Text.Length } }, "invalid_op").SetName("an op without a revision");
        yield return new TestCaseData(new { type = "op", path = Path, revision = 99, id = "future", op = new object[] { Text.Length, "!" } }, "unknown_revision").SetName("an op at a revision that does not exist yet");
        yield return new TestCaseData(new { type = "op", path = "other.txt", revision = 0, id = "nojoin", op = new object[] { "x" } }, "not_found").SetName("an op for a document not joined");
        yield return new TestCaseData(new { type = "join", path = "no/such/file.txt" }, "not_found").SetName("a join of a file that does not exist");
        yield return new TestCaseData(new { type = "join", path = "../escape.txt" }, "not_found").SetName("a join of a path outside the workspace");
        yield return new TestCaseData(new { type = "selection", path = Path, selections = new[] { new { anchor = 0, head = 500 } } }, "invalid_op").SetName("a selection past the end");
        yield return new TestCaseData(new { type = "dance", path = Path }, "invalid_op").SetName("an unknown message type");
    }

    [TestCaseSource(nameof(Refused))]
    [Category(HostileCategories.Suite), Category(HostileCategories.WebSocket)]
    public async Task ARefusedMessageGetsAnErrorAndChangesNothing(object message, string code)
    {
        var (socket, _) = await _workspace.JoinAsync(Path);
        await using var _s = socket;

        await socket.SendAsync(message);
        var error = await CollabWorkspace.NextAsync(socket, "error");

        // The client tells which document the refusal is about by its path (docs/api.md §4).
        var path = (string)message.GetType().GetProperty("path")!.GetValue(message)!;
        Assert.That(error.TryGetProperty("path", out var refusedPath) ? refusedPath.GetString() : null, Is.EqualTo(path), error.GetRawText());
        await AssertUnchangedAndUsableAsync(socket, error, code);
    }

    [Test]
    [Category(HostileCategories.Suite), Category(HostileCategories.WebSocket)]
    public async Task TextThatIsNotJsonGetsAnError()
    {
        var (socket, _) = await _workspace.JoinAsync(Path);
        await using var _s = socket;

        await socket.SendTextAsync("{\"type\":\"op\", this is not json");
        var error = await CollabWorkspace.NextAsync(socket, "error");

        await AssertUnchangedAndUsableAsync(socket, error, "invalid_op");
    }

    [Test]
    [Category(HostileCategories.Suite), Category(HostileCategories.WebSocket)]
    public async Task AMessageOverTheLimitGetsTooLargeAndTheSocketStaysOpen()
    {
        var (socket, _) = await _workspace.JoinAsync(Path);
        await using var _s = socket;

        await socket.SendTextAsync(JsonSerializer.Serialize(new { type = "op", path = Path, revision = 0, id = "big", op = new object[] { new string('x', 1_100_000), Text.Length } }));
        var error = await CollabWorkspace.NextAsync(socket, "error");

        await AssertUnchangedAndUsableAsync(socket, error, "too_large");
    }

    [Test]
    public async Task AnOpThatWouldMakeTheDocumentTooLongGetsTooLarge()
    {
        var (socket, _) = await _workspace.JoinAsync(Path);
        await using var _s = socket;

        // Under the message limit each, over the document limit (2 Mi code units) together.
        for (var i = 0; i < 3; i++)
        {
            await socket.SendAsync(new { type = "op", path = Path, revision = 0, id = $"chunk-{i}", op = new object[] { new string('y', 900_000), Text.Length } });
        }
        var answers = new List<JsonElement>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(await socket.ReceiveAsync(CollabWorkspace.Answer));
        }
        var (content, _) = await _workspace.ServerTextAsync(Path);

        Assert.Multiple(() =>
        {
            Assert.That(answers.Count(answer => JsonSocketClient.TypeOf(answer) == "error" && answer.GetProperty("code").GetString() == "too_large"), Is.GreaterThanOrEqualTo(1),
                string.Join("\n", answers.Select(answer => answer.GetRawText()[..Math.Min(200, answer.GetRawText().Length)])));
            Assert.That(content.Length, Is.LessThanOrEqualTo(2 << 20));
        });
        // Leave the shared document as the other tests expect it.
        await RestoreAsync();
    }

    [Test]
    [Category(HostileCategories.Suite), Category(HostileCategories.WebSocket)]
    public async Task TooManyMessagesAreRateLimited()
    {
        var (socket, _) = await _workspace.JoinAsync(Path);
        await using var _s = socket;

        for (var i = 0; i < 150; i++)
        {
            await socket.SendAsync(new { type = "selection", path = Path, selections = new[] { new { anchor = 0, head = 0 } } });
        }
        var error = await CollabWorkspace.NextAsync(socket, "error");

        await AssertUnchangedAndUsableAsync(socket, error, "rate_limited");
    }

    [Test]
    [Category(HostileCategories.Suite), Category(HostileCategories.WebSocket)]
    public async Task AViewerFollowsReadOnlyAndCannotEdit()
    {
        var viewer = await _workspace.Files.AddMemberAsync("viewer");
        var (socket, joined) = await _workspace.JoinAsync(Path, viewer);
        await using var _s = socket;

        await socket.SendAsync(new { type = "op", path = Path, revision = joined.GetProperty("revision").GetInt64(), id = "v-1", op = new object[] { Text.Length, "!" } });
        var error = await CollabWorkspace.NextAsync(socket, "error");

        Assert.That(joined.GetProperty("readOnly").GetBoolean(), Is.True);
        await AssertUnchangedAndUsableAsync(socket, error, "forbidden");
    }

    [Test]
    [Category(HostileCategories.Suite), Category(HostileCategories.WebSocket)]
    public async Task AStrangerCannotOpenTheSocket()
    {
        var stranger = await _workspace.Files.AddMemberAsync(null);

        var refused = Assert.ThrowsAsync<WebSocketException>(async () => await _workspace.ConnectAsync(stranger));
        var (content, _) = await _workspace.ServerTextAsync(Path);

        Assert.That(refused!.Message, Does.Contain("404"));
        Assert.That(content, Is.EqualTo(Text));
    }

    private async Task AssertUnchangedAndUsableAsync(JsonSocketClient socket, JsonElement error, string code)
    {
        var (content, _) = await _workspace.ServerTextAsync(Path);
        Assert.Multiple(() =>
        {
            Assert.That(error.GetProperty("code").GetString(), Is.EqualTo(code), error.GetRawText());
            Assert.That(error.GetProperty("message").GetString(), Is.Not.Empty);
            Assert.That(content, Is.EqualTo(Text));
            Assert.That(socket.State, Is.EqualTo(WebSocketState.Open));
        });
    }

    private async Task RestoreAsync()
    {
        var (socket, joined) = await _workspace.JoinAsync(Path);
        await using var _s = socket;
        var content = joined.GetProperty("content").GetString()!;
        if (content != Text)
        {
            await socket.SendAsync(new { type = "op", path = Path, revision = joined.GetProperty("revision").GetInt64(), id = Guid.NewGuid().ToString(), op = new object[] { -content.Length, Text } });
            await CollabWorkspace.NextAsync(socket, "ack");
        }
    }
}
