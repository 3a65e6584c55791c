using System.Text.Json;

namespace WebIde.IntegrationTests.Collaboration.Protocol;

/// <summary>Operations stay replayable for the configured history, then give way to the file; a client further behind starts over.</summary>
public sealed class CollabHistoryTests
{
    private const string Path = "history.txt";

    [Test]
    public async Task AClientBehindTheKeptHistoryGetsUnknownRevisionAndRejoinsFresh()
    {
        using var workspace = await CollabWorkspace.CreateAsync(Path, "v0");
        var (alice, _) = await workspace.JoinAsync(Path);
        await using (alice)
        {
            await alice.SendAsync(new { type = "op", path = Path, revision = 0, id = "h-1", op = new object[] { 2, " v1" } });
            await CollabWorkspace.NextAsync(alice, "ack");
        }

        var resumedEarly = await ResumeFromZeroAsync(workspace);
        var refusedAt = DateTime.UtcNow;
        JsonElement answer;
        var until = DateTime.UtcNow + CollabHistory.Kept + TimeSpan.FromSeconds(15);
        do
        {
            answer = await ResumeFromZeroAsync(workspace);
            if (JsonSocketClient.TypeOf(answer) == "error")
            {
                refusedAt = DateTime.UtcNow;
                break;
            }
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < until);
        var (content, revision) = await workspace.ServerTextAsync(Path);

        Assert.Multiple(() =>
        {
            Assert.That(JsonSocketClient.TypeOf(resumedEarly), Is.EqualTo("joined"), "within the history a resume replays: " + resumedEarly.GetRawText());
            Assert.That(JsonSocketClient.TypeOf(answer), Is.EqualTo("error"), $"never trimmed within {until}: {answer.GetRawText()}");
            Assert.That(answer.GetProperty("code").GetString(), Is.EqualTo("unknown_revision"));
            Assert.That(content, Is.EqualTo("v0 v1"));
            Assert.That(revision, Is.EqualTo(1));
        });
    }

    private static async Task<JsonElement> ResumeFromZeroAsync(CollabWorkspace workspace)
    {
        await using var socket = await workspace.ConnectAsync();
        await socket.SendAsync(new { type = "join", path = Path, revision = 0 });
        return await socket.ReceiveAsync(CollabWorkspace.Answer);
    }
}
