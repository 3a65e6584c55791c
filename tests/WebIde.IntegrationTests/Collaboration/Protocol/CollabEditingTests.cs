using System.Text.Json;

namespace WebIde.IntegrationTests.Collaboration.Protocol;

/// <summary>Editing one file together over <c>/ws/collab</c>: joins, operations, acks, transforms, resumes.</summary>
public sealed class CollabEditingTests
{
    private const string Path = "notes/todo.txt";

    [Test]
    public async Task AFreshJoinGetsTheFileAtRevisionZeroAndAnOpIsAckedAndReachesThePeer()
    {
        using var workspace = await CollabWorkspace.CreateAsync(Path, "hello");
        var (alice, joined) = await workspace.JoinAsync(Path);
        await using var _ = alice;
        var (bob, _) = await workspace.JoinAsync(Path);
        await using var __ = bob;

        await alice.SendAsync(new { type = "op", path = Path, revision = 0, id = "a-1", op = new object[] { 5, " world" } });
        var ack = await CollabWorkspace.NextAsync(alice, "ack");
        var seen = await CollabWorkspace.NextAsync(bob, "op");
        var (content, revision) = await workspace.ServerTextAsync(Path);

        Assert.Multiple(() =>
        {
            Assert.That(joined.GetProperty("content").GetString(), Is.EqualTo("hello"));
            Assert.That(joined.GetProperty("revision").GetInt64(), Is.Zero);
            Assert.That(joined.GetProperty("readOnly").GetBoolean(), Is.False);
            Assert.That(joined.GetProperty("path").GetString(), Is.EqualTo(Path));
            Assert.That(ack.GetProperty("revision").GetInt64(), Is.EqualTo(1));
            Assert.That(ack.GetProperty("id").GetString(), Is.EqualTo("a-1"));
            Assert.That(seen.GetProperty("op").GetRawText(), Is.EqualTo("[5,\" world\"]"));
            Assert.That(seen.GetProperty("revision").GetInt64(), Is.EqualTo(1));
            Assert.That(seen.GetProperty("id").GetString(), Is.EqualTo("a-1"));
            Assert.That(content, Is.EqualTo("hello world"));
            Assert.That(revision, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task TwoOpsAtTheSameRevisionAreBothAppliedTransformed()
    {
        using var workspace = await CollabWorkspace.CreateAsync(Path, "abc");
        var (alice, _) = await workspace.JoinAsync(Path);
        await using var _a = alice;
        var (bob, _) = await workspace.JoinAsync(Path);
        await using var _b = bob;

        await alice.SendAsync(new { type = "op", path = Path, revision = 0, id = "a-1", op = new object[] { "X", 3 } });
        await bob.SendAsync(new { type = "op", path = Path, revision = 0, id = "b-1", op = new object[] { 3, "Y" } });
        // Each hears the other's op before or after its own ack, whichever Redis ordered first.
        var aliceHeard = await alice.ReceiveUntilAsync("ack", CollabWorkspace.Answer);
        var bobHeard = await bob.ReceiveUntilAsync("ack", CollabWorkspace.Answer);
        var (content, revision) = await workspace.ServerTextAsync(Path);

        Assert.Multiple(() =>
        {
            Assert.That(content, Is.EqualTo("XabcY"));
            Assert.That(revision, Is.EqualTo(2));
            Assert.That(aliceHeard.Concat(bobHeard).Select(JsonSocketClient.TypeOf), Is.All.AnyOf("ack", "op", "peer-joined"));
        });
    }

    [Test]
    public async Task AResumeGetsEveryOpAfterItsRevisionAndADuplicateIdIsAppliedOnce()
    {
        using var workspace = await CollabWorkspace.CreateAsync(Path, "");
        var (alice, _) = await workspace.JoinAsync(Path);
        await using (alice)
        {
            await alice.SendAsync(new { type = "op", path = Path, revision = 0, id = "a-1", op = new object[] { "one " } });
            await CollabWorkspace.NextAsync(alice, "ack");
            await alice.SendAsync(new { type = "op", path = Path, revision = 1, id = "a-2", op = new object[] { 4, "two " } });
            await CollabWorkspace.NextAsync(alice, "ack");
        }

        await using var again = await workspace.ConnectAsync();
        await again.SendAsync(new { type = "join", path = Path, revision = 1 });
        var resumed = await CollabWorkspace.NextAsync(again, "joined");
        // The op a-2 again, as a client whose ack was lost would resend it.
        await again.SendAsync(new { type = "op", path = Path, revision = 2, id = "a-2", op = new object[] { 8, "two " } });
        var ack = await CollabWorkspace.NextAsync(again, "ack");
        var (content, revision) = await workspace.ServerTextAsync(Path);

        Assert.Multiple(() =>
        {
            Assert.That(resumed.TryGetProperty("content", out _), Is.False, resumed.GetRawText());
            Assert.That(resumed.GetProperty("revision").GetInt64(), Is.EqualTo(2));
            var ops = resumed.GetProperty("ops").EnumerateArray().ToList();
            Assert.That(ops.Select(op => op.GetProperty("revision").GetInt64()), Is.EqualTo(new[] { 2L }));
            Assert.That(ops.Select(op => op.GetProperty("id").GetString()), Is.EqualTo(new[] { "a-2" }));
            Assert.That(ack.GetProperty("revision").GetInt64(), Is.EqualTo(2), "the revision the op was applied at the first time");
            Assert.That(content, Is.EqualTo("one two "));
            Assert.That(revision, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task PeersSeeEachOtherJoinMoveTheirCursorsAndLeave()
    {
        using var workspace = await CollabWorkspace.CreateAsync(Path, "text");
        var (alice, _) = await workspace.JoinAsync(Path);
        await using var _a = alice;
        var (bob, bobJoined) = await workspace.JoinAsync(Path);
        var bobId = bobJoined.GetProperty("clientId").GetString();

        var joinedPeer = await CollabWorkspace.NextAsync(alice, "peer-joined");
        await bob.SendAsync(new { type = "selection", path = Path, selections = new[] { new { anchor = 1, head = 3 } } });
        var selection = await CollabWorkspace.NextAsync(alice, "selection");
        await bob.SendAsync(new { type = "leave", path = Path });
        var left = await CollabWorkspace.NextAsync(alice, "peer-left");
        await bob.DisposeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(bobJoined.GetProperty("peers").EnumerateArray().Select(peer => peer.GetProperty("username").GetString()),
                Has.Member(CollabWorkspace.UsernameOf(workspace.Files.AccessToken)));
            var peer = joinedPeer.GetProperty("peer");
            Assert.That(peer.GetProperty("clientId").GetString(), Is.EqualTo(bobId));
            Assert.That(peer.GetProperty("color").GetString(), Does.StartWith("#"));
            Assert.That(selection.GetProperty("clientId").GetString(), Is.EqualTo(bobId));
            Assert.That(selection.GetProperty("selections").GetRawText(), Is.EqualTo("[{\"anchor\":1,\"head\":3}]"));
            Assert.That(left.GetProperty("clientId").GetString(), Is.EqualTo(bobId));
        });
    }
}
