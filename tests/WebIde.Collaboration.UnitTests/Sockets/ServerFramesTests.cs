using System.Text.Json;
using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Presence;
using WebIde.Collaboration.Sockets;
using WebIde.Collaboration.UnitTests.Support;

namespace WebIde.Collaboration.UnitTests.Sockets;

/// <summary>Each frame read as a browser's JSON.parse would read it (System.Text.Json stands in where no lone surrogate is involved).</summary>
public sealed class ServerFramesTests
{
    private static readonly Guid User = Guid.Parse("6b29fc40-ca47-1067-b31d-00dd010662da");

    private static readonly Peer Ana = new("c-ana", User, "ana \"the\" \\ dev", "#e6194b", [new Selection(1, 3), new Selection(5, 5)]);

    private static readonly LogEntry Entry = new(8, Ops.Insert(3, 1, "é😀"), "c-2", "op-\"7\"", User, 99);

    [Test]
    public void AFreshJoinCarriesTheContentAndPeers()
    {
        var frame = ServerFrames.JoinedFresh("src/a.py", 12, "print(\"hi\")\n😀", readOnly: true, [ServerFrames.PeerJson(Ana)], "c-me");

        var root = Parse(frame);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(root), Is.EquivalentTo(new[] { "type", "path", "revision", "readOnly", "clientId", "peers", "content" }));
            Assert.That(root.GetProperty("type").GetString(), Is.EqualTo("joined"));
            Assert.That(root.GetProperty("path").GetString(), Is.EqualTo("src/a.py"));
            Assert.That(root.GetProperty("revision").GetInt64(), Is.EqualTo(12));
            Assert.That(root.GetProperty("content").GetString(), Is.EqualTo("print(\"hi\")\n😀"));
            Assert.That(root.GetProperty("readOnly").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("clientId").GetString(), Is.EqualTo("c-me"));
            Assert.That(root.GetProperty("peers").GetArrayLength(), Is.EqualTo(1));
        }
        AssertIsAna(root.GetProperty("peers")[0]);
    }

    [Test]
    public void AFreshJoinWithoutPeersHasAnEmptyPeerList()
    {
        var root = Parse(ServerFrames.JoinedFresh("p", 0, "", readOnly: false, [], "c"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.GetProperty("peers").GetArrayLength(), Is.Zero);
            Assert.That(root.GetProperty("readOnly").GetBoolean(), Is.False);
            Assert.That(root.GetProperty("content").GetString(), Is.Empty);
        }
    }

    [Test]
    public void AResumedJoinCarriesTheOpsInsteadOfTheContent()
    {
        var second = Entry with { Revision = 9, Op = Ops.Delete(5, 0, 2), ClientId = "file", Id = "f-1" };

        var root = Parse(ServerFrames.JoinedResumed("p", 9, [Entry, second], readOnly: false, [ServerFrames.PeerJson(Ana), ServerFrames.PeerJson(Ana with { ClientId = "c-3", Selections = [] })], "c-me"));

        var ops = root.GetProperty("ops");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(root), Is.EquivalentTo(new[] { "type", "path", "revision", "readOnly", "clientId", "peers", "ops" }));
            Assert.That(root.GetProperty("type").GetString(), Is.EqualTo("joined"));
            Assert.That(root.GetProperty("revision").GetInt64(), Is.EqualTo(9));
            Assert.That(root.GetProperty("peers").GetArrayLength(), Is.EqualTo(2));
            Assert.That(ops.GetArrayLength(), Is.EqualTo(2));
            Assert.That(Names(ops[0]), Is.EquivalentTo(new[] { "revision", "op", "clientId", "id" }), "the op fields of docs/api.md §4, no more");
            Assert.That(ops[0].GetProperty("revision").GetInt64(), Is.EqualTo(8));
            Assert.That(ops[0].GetProperty("op").GetRawText(), Is.EqualTo("[1,\"é😀\",2]"));
            Assert.That(ops[0].GetProperty("clientId").GetString(), Is.EqualTo("c-2"));
            Assert.That(ops[0].GetProperty("id").GetString(), Is.EqualTo("op-\"7\""));
            Assert.That(ops[1].GetProperty("op").GetRawText(), Is.EqualTo("[-2,3]"));
            Assert.That(ops[1].GetProperty("clientId").GetString(), Is.EqualTo("file"));
        }
    }

    [Test]
    public void AResumedJoinWithNothingMissedHasNoOps()
    {
        var root = Parse(ServerFrames.JoinedResumed("p", 3, [], readOnly: false, [], "c"));

        Assert.That(root.GetProperty("ops").GetArrayLength(), Is.Zero);
    }

    [Test]
    public void AnAckNamesTheRevisionAndId()
    {
        var root = Parse(ServerFrames.Ack("dir/ü.txt", 41, "op\\1"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(root), Is.EquivalentTo(new[] { "type", "path", "revision", "id" }));
            Assert.That(root.GetProperty("type").GetString(), Is.EqualTo("ack"));
            Assert.That(root.GetProperty("path").GetString(), Is.EqualTo("dir/ü.txt"));
            Assert.That(root.GetProperty("revision").GetInt64(), Is.EqualTo(41));
            Assert.That(root.GetProperty("id").GetString(), Is.EqualTo("op\\1"));
        }
    }

    [Test]
    public void AnOpCarriesWhatAnotherClientDid()
    {
        var root = Parse(ServerFrames.Op("p", Entry));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(root), Is.EquivalentTo(new[] { "type", "path", "revision", "op", "clientId", "id" }));
            Assert.That(root.GetProperty("type").GetString(), Is.EqualTo("op"));
            Assert.That(root.GetProperty("revision").GetInt64(), Is.EqualTo(8));
            Assert.That(root.GetProperty("op").GetRawText(), Is.EqualTo("[1,\"é😀\",2]"));
            Assert.That(root.GetProperty("clientId").GetString(), Is.EqualTo("c-2"));
            Assert.That(root.GetProperty("id").GetString(), Is.EqualTo("op-\"7\""));
        }
    }

    [Test]
    public void ASelectionNamesWhoseItIs()
    {
        var root = Parse(ServerFrames.Selection("p", "c-ana", "ana", [new Selection(4, 2)]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(root), Is.EquivalentTo(new[] { "type", "path", "clientId", "username", "selections" }));
            Assert.That(root.GetProperty("type").GetString(), Is.EqualTo("selection"));
            Assert.That(root.GetProperty("clientId").GetString(), Is.EqualTo("c-ana"));
            Assert.That(root.GetProperty("username").GetString(), Is.EqualTo("ana"));
            Assert.That(root.GetProperty("selections").GetRawText(), Is.EqualTo("""[{"anchor":4,"head":2}]"""));
        }
    }

    [Test]
    public void AnEmptySelectionListIsAnEmptyArray()
    {
        var root = Parse(ServerFrames.Selection("p", "c", "u", []));

        Assert.That(root.GetProperty("selections").GetArrayLength(), Is.Zero);
    }

    [Test]
    public void APeerJoinedCarriesThePeer()
    {
        var root = Parse(ServerFrames.PeerJoined("p", ServerFrames.PeerJson(Ana)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(root), Is.EquivalentTo(new[] { "type", "path", "peer" }));
            Assert.That(root.GetProperty("type").GetString(), Is.EqualTo("peer-joined"));
        }
        AssertIsAna(root.GetProperty("peer"));
    }

    [Test]
    public void APeerLeftNamesTheClient()
    {
        var root = Parse(ServerFrames.PeerLeft("p", "c-ana"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(root), Is.EquivalentTo(new[] { "type", "path", "clientId" }));
            Assert.That(root.GetProperty("type").GetString(), Is.EqualTo("peer-left"));
            Assert.That(root.GetProperty("clientId").GetString(), Is.EqualTo("c-ana"));
        }
    }

    [Test]
    public void AClosedDocumentThatMovedSaysWhere()
    {
        var root = Parse(ServerFrames.Closed("old/a.txt", "moved", "new/\"a\".txt"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.GetProperty("type").GetString(), Is.EqualTo("closed"));
            Assert.That(root.GetProperty("path").GetString(), Is.EqualTo("old/a.txt"));
            Assert.That(root.GetProperty("reason").GetString(), Is.EqualTo("moved"));
            Assert.That(root.GetProperty("to").GetString(), Is.EqualTo("new/\"a\".txt"));
        }
    }

    [Test]
    public void AClosedDocumentThatWasDeletedHasNoDestination()
    {
        var root = Parse(ServerFrames.Closed("a.txt", "deleted", null));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(root), Is.EquivalentTo(new[] { "type", "path", "reason" }));
            Assert.That(root.GetProperty("reason").GetString(), Is.EqualTo("deleted"));
        }
    }

    [Test]
    public void AnErrorCarriesItsCodeMessageAndId()
    {
        var root = Parse(ServerFrames.Error(ErrorCodes.InvalidOp, "bad \"op\"\n at 3", "op-1"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(root), Is.EquivalentTo(new[] { "type", "code", "message", "id" }));
            Assert.That(root.GetProperty("type").GetString(), Is.EqualTo("error"));
            Assert.That(root.GetProperty("code").GetString(), Is.EqualTo("invalid_op"));
            Assert.That(root.GetProperty("message").GetString(), Is.EqualTo("bad \"op\"\n at 3"));
            Assert.That(root.GetProperty("id").GetString(), Is.EqualTo("op-1"));
        }
    }

    [Test]
    public void AnErrorWithoutAnIdOrPathLeavesTheFieldsOut()
    {
        var root = Parse(ServerFrames.Error(ErrorCodes.RateLimited, "slow down"));

        Assert.That(Names(root), Is.EquivalentTo(new[] { "type", "code", "message" }));
    }

    [Test]
    public void AnErrorAboutADocumentCarriesItsPath()
    {
        var root = Parse(ServerFrames.Error(ErrorCodes.Forbidden, "viewers follow a document read-only", "op-1", "src/\"é\" 😀.py"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(root), Is.EqualTo(new[] { "type", "code", "message", "id", "path" }), "in the contract's order");
            Assert.That(root.GetProperty("path").GetString(), Is.EqualTo("src/\"é\" 😀.py"));
            Assert.That(root.GetProperty("id").GetString(), Is.EqualTo("op-1"));
        }
    }

    [Test]
    public void AnErrorAboutADocumentWithoutAnIdCarriesOnlyThePath()
    {
        var root = Parse(ServerFrames.Error(ErrorCodes.NotFound, "no such file", path: "a.py"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(root), Is.EqualTo(new[] { "type", "code", "message", "path" }));
            Assert.That(root.GetProperty("path").GetString(), Is.EqualTo("a.py"));
        }
    }

    private static void AssertIsAna(JsonElement peer)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(peer), Is.EquivalentTo(new[] { "clientId", "userId", "username", "color", "selections" }));
            Assert.That(peer.GetProperty("clientId").GetString(), Is.EqualTo(Ana.ClientId));
            Assert.That(peer.GetProperty("userId").GetString(), Is.EqualTo("6b29fc40-ca47-1067-b31d-00dd010662da"));
            Assert.That(peer.GetProperty("username").GetString(), Is.EqualTo(Ana.Username));
            Assert.That(peer.GetProperty("color").GetString(), Is.EqualTo("#e6194b"));
            Assert.That(peer.GetProperty("selections").GetRawText(), Is.EqualTo("""[{"anchor":1,"head":3},{"anchor":5,"head":5}]"""));
        }
    }

    private static JsonElement Parse(byte[] frame)
    {
        using var json = JsonDocument.Parse(frame);
        return json.RootElement.Clone();
    }

    private static List<string> Names(JsonElement element) => element.EnumerateObject().Select(property => property.Name).ToList();
}
