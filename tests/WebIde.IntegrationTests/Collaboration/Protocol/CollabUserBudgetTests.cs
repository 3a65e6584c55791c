using System.Net.WebSockets;
using System.Text.Json;

namespace WebIde.IntegrationTests.Collaboration.Protocol;

/// <summary>
/// One account cannot fill Redis with operations: its sockets share one byte budget and are
/// few, while everyone else's edits keep flowing (issue 16, point 4; docs/api.md §4).
/// </summary>
public sealed class CollabUserBudgetTests
{
    private const int FloodSockets = 6;
    private const int LargeInsert = 900_000;

    [Test]
    public async Task AUserFloodingLargeOpsFromManySocketsIsThrottledAndOtherUsersEditsStillFlow()
    {
        using var workspace = await CollabWorkspace.CreateAsync("typed.txt", "");
        for (var i = 0; i < FloodSockets; i++)
        {
            using var written = await workspace.Files.PutTextAsync($"flood-{i}.txt", "");
        }
        var typist = await workspace.Files.AddMemberAsync("editor");

        using var stop = new CancellationTokenSource();
        var floods = Enumerable.Range(0, FloodSockets).Select(i => FloodAsync(workspace, $"flood-{i}.txt", stop.Token)).ToList();

        // While the flood goes on, another user types: every keystroke is acknowledged.
        var (typing, joined) = await workspace.JoinAsync("typed.txt", typist);
        await using var _t = typing;
        var revision = joined.GetProperty("revision").GetInt64();
        for (var i = 0; i < 20; i++)
        {
            await typing.SendAsync(new { type = "op", path = "typed.txt", revision, id = $"key-{i}", op = i == 0 ? new object[] { "k" } : new object[] { i, "k" } });
            var ack = await CollabWorkspace.NextAsync(typing, "ack");
            revision = ack.GetProperty("revision").GetInt64();
        }

        var outcomes = await Task.WhenAll(floods);
        await stop.CancelAsync();
        var (typed, _) = await workspace.ServerTextAsync("typed.txt");

        Assert.Multiple(() =>
        {
            Assert.That(typed, Is.EqualTo(new string('k', 20)), "the other user's edits all landed");
            Assert.That(outcomes.Sum(outcome => outcome.Throttled), Is.GreaterThan(0), "the flooding user was told rate_limited");
            // 8 MiB of burst: about nine of these fit, whatever the number of sockets.
            Assert.That(outcomes.Sum(outcome => outcome.Acknowledged), Is.LessThan(FloodSockets * 4),
                string.Join(", ", outcomes.Select(outcome => $"{outcome.Acknowledged} acked / {outcome.Throttled} throttled")));
        });
    }

    [Test]
    public async Task OneSocketMoreThanAUserMayHoldIsClosedWith4029()
    {
        using var workspace = await CollabWorkspace.CreateAsync("main.txt", "x");
        var open = new List<JsonSocketClient>();
        try
        {
            for (var i = 0; i < 16; i++)
            {
                open.Add(await workspace.ConnectAsync());
            }
            await using var extra = await workspace.ConnectAsync();
            var (status, reason) = await extra.WaitForCloseAsync(CollabWorkspace.Answer);

            Assert.That(status, Is.EqualTo((WebSocketCloseStatus)4029), reason);
            // The user's other sockets are untouched and a socket closed makes room again.
            await open[0].DisposeAsync();
            open.RemoveAt(0);
            var (again, joined) = await JoinEventuallyAsync(workspace);
            await using var _a = again;
            Assert.That(JsonSocketClient.TypeOf(joined), Is.EqualTo("joined"));
        }
        finally
        {
            foreach (var socket in open)
            {
                await socket.DisposeAsync();
            }
        }
    }

    /// <summary>The server counts a socket closed when its close is done: a new one may have to wait a moment for the room.</summary>
    private static async Task<(JsonSocketClient, JsonElement)> JoinEventuallyAsync(CollabWorkspace workspace)
    {
        var deadline = DateTime.UtcNow + CollabWorkspace.Answer;
        while (true)
        {
            var socket = await workspace.ConnectAsync();
            await socket.SendAsync(new { type = "join", path = "main.txt" });
            try
            {
                return (socket, await socket.ReceiveAsync(CollabWorkspace.Answer));
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await socket.DisposeAsync();
                await Task.Delay(100);
            }
        }
    }

    /// <summary>The ack or error that answers the op just sent, past presence chatter.</summary>
    private static async Task<JsonElement> AnswerAsync(JsonSocketClient socket)
    {
        while (true)
        {
            var message = await socket.ReceiveAsync(CollabWorkspace.Answer);
            if (JsonSocketClient.TypeOf(message) is "ack" or "error")
            {
                return message;
            }
        }
    }

    private sealed record FloodOutcome(int Acknowledged, int Throttled);

    /// <summary>Large inserts and deletes, each sent when the last was answered, until throttled a few times.</summary>
    private static async Task<FloodOutcome> FloodAsync(CollabWorkspace workspace, string path, CancellationToken stop)
    {
        var (socket, joined) = await workspace.JoinAsync(path);
        await using var _s = socket;
        var revision = joined.GetProperty("revision").GetInt64();
        var length = 0;
        int acknowledged = 0, throttled = 0;
        for (var i = 0; i < 12 && throttled < 3 && !stop.IsCancellationRequested; i++)
        {
            object[] op = length == 0 ? [new string('f', LargeInsert)] : [-LargeInsert];
            await socket.SendAsync(new { type = "op", path, revision, id = $"flood-{i}", op });
            var answer = await AnswerAsync(socket);
            if (JsonSocketClient.TypeOf(answer) == "ack")
            {
                acknowledged++;
                revision = answer.GetProperty("revision").GetInt64();
                length = length == 0 ? LargeInsert : 0;
            }
            else
            {
                Assert.That(answer.GetProperty("code").GetString(), Is.EqualTo("rate_limited"), answer.GetRawText());
                throttled++;
            }
        }
        return new FloodOutcome(acknowledged, throttled);
    }
}
