using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebIde.IntegrationTests.Files;

/// <summary>docs/api.md §3: <c>GET /api/workspaces/{id}/events</c>, one server-sent event per change.</summary>
public sealed class EventStreamTests
{
    private static async Task<long?> ChangeAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        Assert.That((int)response.StatusCode, Is.InRange(200, 299), await response.Content.ReadAsStringAsync());
        return response.Content.Headers.ContentType?.MediaType == "application/json"
            && (await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("version", out var version)
            ? version.GetInt64()
            : null;
    }

    [Test]
    public async Task TheStreamSeesEveryKindOfChangeInOrderWithIncreasingIds()
    {
        using var workspace = await FileWorkspace.CreateAsync("events");
        await using var stream = await EventStream.SubscribeAsync(workspace);

        await ChangeAsync(workspace.PutTextAsync("notes/today.md", "a"));
        await ChangeAsync(workspace.PutTextAsync("notes/today.md", "b"));
        var movedVersion = await ChangeAsync(workspace.MoveAsync("notes/today.md", "notes/done.md"));
        await ChangeAsync(workspace.DeleteAsync("notes/done.md"));
        await ChangeAsync(workspace.MakeDirectoryAsync("assets"));
        await ChangeAsync(workspace.MoveAsync("assets", "static"));
        await ChangeAsync(workspace.DeleteAsync("notes"));
        var events = await stream.EventsAsync(8);

        Assert.Multiple(() =>
        {
            Assert.That(events.Select(change => change.Summary), Is.EqualTo(new[]
            {
                "created notes directory",
                "created notes/today.md file v1",
                "changed notes/today.md file v2",
                $"moved notes/done.md from:notes/today.md file v{movedVersion}",
                "deleted notes/done.md file",
                "created assets directory",
                "moved static from:assets directory",
                "deleted notes directory",
            }));
            Assert.That(events.Select(change => change.Property("userId")), Has.All.EqualTo(workspace.UserId));
            Assert.That(events.Select(change => change.Sequence), Is.Ordered.Ascending.And.Unique);
            Assert.That(events.Where(change => change.Type != "moved").Select(change => change.Property("from")), Has.All.Null);
        });
    }

    [Test]
    public async Task AReconnectWithLastEventIdReplaysExactlyTheMissedChangesInOrder()
    {
        using var workspace = await FileWorkspace.CreateAsync("events");
        string lastSeen;
        await using (var first = await EventStream.SubscribeAsync(workspace))
        {
            await ChangeAsync(workspace.PutTextAsync("one.txt", "1"));
            lastSeen = (await first.EventsAsync(1))[0].Id!;
        }

        await ChangeAsync(workspace.PutTextAsync("two.txt", "2"));
        await ChangeAsync(workspace.PutTextAsync("one.txt", "1 again"));
        await ChangeAsync(workspace.DeleteAsync("two.txt"));
        var movedVersion = await ChangeAsync(workspace.MoveAsync("one.txt", "three.txt"));
        await using var second = await EventStream.SubscribeAsync(workspace, lastEventId: lastSeen);
        var replayed = await second.EventsAsync(4);
        // Something new after the replay: the very next event must be it, nothing missed or repeated in between.
        await ChangeAsync(workspace.PutTextAsync("marker.txt", "m"));
        var next = (await second.EventsAsync(1))[0];

        Assert.Multiple(() =>
        {
            Assert.That(replayed.Select(change => change.Summary), Is.EqualTo(new[]
            {
                "created two.txt file v1",
                "changed one.txt file v2",
                "deleted two.txt file",
                $"moved three.txt from:one.txt file v{movedVersion}",
            }));
            Assert.That(replayed.Select(change => change.Sequence).Prepend(long.Parse(lastSeen, System.Globalization.CultureInfo.InvariantCulture)),
                Is.Ordered.Ascending.And.Unique);
            Assert.That(next.Summary, Is.EqualTo("created marker.txt file v1"));
            Assert.That(next.Sequence, Is.GreaterThan(replayed[^1].Sequence));
        });
    }

    [Test]
    public async Task AnIdleStreamSendsHeartbeatComments()
    {
        using var workspace = await FileWorkspace.CreateAsync("events");
        await using var stream = await EventStream.SubscribeAsync(workspace);
        var clock = Stopwatch.StartNew();

        // The stream may look for changes only every couple of seconds: a heartbeat is due
        // within two heartbeat periods.
        var first = await stream.NextAsync(within: FileQuota.Heartbeat * 3);
        var firstAt = clock.Elapsed;
        var second = await stream.NextAsync(within: FileQuota.Heartbeat * 3);
        var gap = clock.Elapsed - firstAt;

        Assert.Multiple(() =>
        {
            Assert.That(first.IsComment, Is.True, first.ToString());
            Assert.That(second.IsComment, Is.True, second.ToString());
            Assert.That(gap, Is.GreaterThanOrEqualTo(FileQuota.Heartbeat * 0.9), "heartbeats come once a period, not in a burst");
        });
    }

    [Test]
    public async Task AViewerSubscribesAndSeesAnEditorsChangesWithTheEditorsUserId()
    {
        using var workspace = await FileWorkspace.CreateAsync("events");
        var viewer = await workspace.AddMemberAsync("viewer");
        var editor = await workspace.AddMemberAsync("editor");
        await using var stream = await EventStream.SubscribeAsync(workspace, viewer);

        await ChangeAsync(workspace.PutTextAsync("by-editor.txt", "hi", token: editor));
        var change = (await stream.EventsAsync(1))[0];

        Assert.Multiple(() =>
        {
            Assert.That(change.Summary, Is.EqualTo("created by-editor.txt file v1"));
            Assert.That(change.Property("userId"), Is.EqualTo(FileWorkspace.UserIdOf(editor)));
        });
    }

    [Test]
    public async Task ANonMemberGets404FromTheStreamAsForAnUnknownWorkspace()
    {
        using var workspace = await FileWorkspace.CreateAsync("events");
        var stranger = await workspace.AddMemberAsync(null);

        await using var stream = await EventStream.OpenAsync(workspace, stranger);
        var problem = await Problems.AssertAsync(stream.Response, HttpStatusCode.NotFound, "a stranger's stream");

        Assert.That(problem.GetProperty("detail").GetString(), Does.Not.Contain(workspace.Id));
    }
}
