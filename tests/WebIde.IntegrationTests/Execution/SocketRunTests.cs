using System.Net.WebSockets;
using System.Text.Json;
using WebIde.Contracts.Execution.V1;

namespace WebIde.IntegrationTests.Execution;

/// <summary>
/// <c>/ws/exec/{workspaceId}</c> through the gateway, as the browser uses it: a run of the
/// workspace, stdin typed once it has started, output streamed until it exits.
/// </summary>
public sealed class SocketRunTests
{
    private static readonly TimeSpan RunDeadline = TimeSpan.FromSeconds(90);

    private static IEnumerable<LanguageProgram> Programs => LanguagePrograms.All;

    private ExecWorkspace _workspace = null!;
    private Dictionary<string, string> _versions = null!;

    [OneTimeSetUp]
    public async Task ListVersionsAsync()
    {
        _workspace = await ExecWorkspace.AllLanguagesAsync();
        using var grpc = new ExecGrpc();
        var listed = await grpc.Client.ListLanguagesAsync(new ListLanguagesRequest(), ExecGrpc.As(_workspace.AccessToken));
        _versions = listed.Languages.ToDictionary(language => language.Name, language => language.Version, StringComparer.Ordinal);
    }

    [TestCaseSource(nameof(Programs))]
    public async Task ARunTakesStdinTypedAfterItStartedAndStreamsItsOutput(LanguageProgram program)
    {
        await using var socket = await JsonSocketClient.ConnectAsync(_workspace.Id, _workspace.AccessToken);

        var messages = await RunHelloAsync(socket, program);

        AssertHello(program, messages);
    }

    [Test]
    [Category(HostileCategories.Suite), Category(HostileCategories.WebSocket)]
    public async Task GarbageIsAnsweredWithAnErrorAndTheSocketStaysUsable()
    {
        await using var socket = await JsonSocketClient.ConnectAsync(_workspace.Id, _workspace.AccessToken);

        await socket.SendTextAsync("this is not json {");
        var notJson = await socket.ReceiveAsync(TimeSpan.FromSeconds(30));
        await socket.SendAsync(new { type = "dance" });
        var unknownType = await socket.ReceiveAsync(TimeSpan.FromSeconds(30));
        await socket.SendAsync(new { type = "stdin", data = "too early\n" });
        var noRun = await socket.ReceiveAsync(TimeSpan.FromSeconds(30));
        await socket.SendAsync(new { type = "run", entry = "no/such/file.py" });
        var missing = await socket.ReceiveAsync(TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(ErrorCode(notJson), Is.EqualTo("invalid_message"), notJson.GetRawText());
            Assert.That(ErrorCode(unknownType), Is.EqualTo("invalid_message"), unknownType.GetRawText());
            Assert.That(ErrorCode(noRun), Is.EqualTo("no_run"), noRun.GetRawText());
            Assert.That(ErrorCode(missing), Is.EqualTo("invalid_request"), missing.GetRawText());
            Assert.That(missing.GetProperty("message").GetString(), Is.Not.Empty);
            Assert.That(socket.State, Is.EqualTo(WebSocketState.Open));
        });

        var program = LanguagePrograms.Of("python");
        AssertHello(program, await RunHelloAsync(socket, program));
    }

    [Test]
    public async Task TwoRunsFollowOneAnotherOnOneSocket()
    {
        await using var socket = await JsonSocketClient.ConnectAsync(_workspace.Id, _workspace.AccessToken);

        var bash = LanguagePrograms.Of("bash");
        var first = await RunHelloAsync(socket, bash);
        var python = LanguagePrograms.Of("python");
        var second = await RunHelloAsync(socket, python);

        AssertHello(bash, first);
        AssertHello(python, second);
    }

    [Test]
    public async Task InputThatCrossesTheEndOfARunIsNotAnError()
    {
        await using var socket = await JsonSocketClient.ConnectAsync(_workspace.Id, _workspace.AccessToken);
        var python = LanguagePrograms.Of("python");
        await socket.SendAsync(new { type = "run", entry = python.EntryInFolder, args = LanguagePrograms.Args });
        var started = await socket.ReceiveAsync(TimeSpan.FromSeconds(60));
        Assert.That(JsonSocketClient.TypeOf(started), Is.EqualTo("started"), started.GetRawText());

        // The program exits after its first line; the client, not yet told, keeps typing until `exited` reaches it.
        using var exitedSeen = new CancellationTokenSource();
        var typing = Task.Run(async () =>
        {
            await socket.SendAsync(new { type = "stdin", data = "line one\n" });
            var until = DateTime.UtcNow + RunDeadline;
            while (!exitedSeen.IsCancellationRequested && DateTime.UtcNow < until)
            {
                await socket.SendAsync(new { type = "stdin", data = "more\n" });
            }
        });
        var rest = await socket.ReceiveUntilAsync("exited", RunDeadline);
        await exitedSeen.CancelAsync();
        await typing;

        AssertHello(python, [started, .. rest]);
    }

    [Test]
    public async Task AStrangersRunIsNotFound()
    {
        var stranger = await _workspace.Files.AddMemberAsync(null);
        await using var socket = await JsonSocketClient.ConnectAsync(_workspace.Id, stranger);

        await socket.SendAsync(new { type = "run", entry = "python/main.py" });
        var answer = await socket.ReceiveAsync(TimeSpan.FromSeconds(30));

        Assert.That(ErrorCode(answer), Is.EqualTo("not_found"), answer.GetRawText());
    }

    /// <summary>run; wait for started; one line of stdin; closeStdin; everything up to exited.</summary>
    private static async Task<IReadOnlyList<JsonElement>> RunHelloAsync(JsonSocketClient socket, LanguageProgram program)
    {
        await socket.SendAsync(new { type = "run", entry = program.EntryInFolder, args = LanguagePrograms.Args });
        var started = await socket.ReceiveAsync(TimeSpan.FromSeconds(60));
        Assert.That(JsonSocketClient.TypeOf(started), Is.EqualTo("started"), started.GetRawText());

        await socket.SendAsync(new { type = "stdin", data = "line one\n" });
        await socket.SendAsync(new { type = "closeStdin" });
        var rest = await socket.ReceiveUntilAsync("exited", RunDeadline);
        return [started, .. rest];
    }

    private void AssertHello(LanguageProgram program, IReadOnlyList<JsonElement> messages)
    {
        var started = messages[0];
        var exited = messages[^1];
        var all = string.Join("\n", messages.Select(message => message.GetRawText()));
        Assert.Multiple(() =>
        {
            Assert.That(Guid.TryParse(started.GetProperty("runId").GetString(), out _), Is.True, all);
            Assert.That(started.GetProperty("language").GetString(), Is.EqualTo(program.Language), all);
            Assert.That(started.GetProperty("version").GetString(), Is.Not.Empty.And.EqualTo(_versions[program.Language]), all);
            Assert.That(messages.Skip(1).SkipLast(1).Select(JsonSocketClient.TypeOf), Is.All.AnyOf("stdout", "stderr"), all);
            Assert.That(JsonSocketClient.Text(messages, "stdout"), Is.EqualTo(program.ExpectedStdout), all);
            Assert.That(JsonSocketClient.Text(messages, "stderr"), Is.Empty, all);
            Assert.That(exited.GetProperty("status").GetString(), Is.EqualTo("ok"), all);
            Assert.That(exited.GetProperty("exitCode").GetInt32(), Is.Zero, all);
            Assert.That(exited.GetProperty("wallTimeMs").GetInt64(), Is.GreaterThanOrEqualTo(0), all);
            Assert.That(exited.GetProperty("outputTruncated").GetBoolean(), Is.False, all);
        });
    }

    private static string? ErrorCode(JsonElement message) =>
        JsonSocketClient.TypeOf(message) == "error" ? message.GetProperty("code").GetString() : $"not an error: {message.GetRawText()}";
}
