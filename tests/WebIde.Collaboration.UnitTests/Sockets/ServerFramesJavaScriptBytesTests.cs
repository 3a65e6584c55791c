using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Presence;
using WebIde.Collaboration.Sockets;
using WebIde.Collaboration.UnitTests.Support;

namespace WebIde.Collaboration.UnitTests.Sockets;

/// <summary>
/// Frames whose strings hold lone surrogates, which System.Text.Json cannot read: their bytes
/// are compared with what JSON.stringify gives for the same object.
/// </summary>
public sealed class ServerFramesJavaScriptBytesTests
{
    private static readonly Guid User = Guid.Parse("6b29fc40-ca47-1067-b31d-00dd010662da");

    private static string Js(string text) => JavaScriptJson.Stringify(text);

    [Test]
    public void TheOracleEscapesALoneSurrogateInLowercaseAsJavaScriptDoes()
    {
        // JSON.stringify("a\uD83D") === '"a\\ud83d"'; JSON.stringify("😀") keeps the pair as is.
        Assert.That(Js("a\uD83D😀\u0001\u007f"), Is.EqualTo("\"a\\ud83d😀\\u0001\u007f\""));
    }

    [Test]
    public void ContentWithLoneSurrogatesIsWrittenAsJavaScriptWouldWriteIt()
    {
        const string content = "x\ud83d\n\ude00y😀\u0000\u001f\u2028/";

        var frame = ServerFrames.JoinedFresh("p", 1, content, readOnly: false, [], "c");

        Assert.That(frame, Is.EqualTo(JavaScriptJson.Utf8(
            """{"type":"joined","path":"p","revision":1,"readOnly":false,"clientId":"c","peers":[],"content":""" + Js(content) + "}")));
        Assert.That(System.Text.Encoding.UTF8.GetString(frame), Does.Contain("""x\ud83d\n\ude00y😀\u0000\u001f"""));
    }

    [Test]
    public void AnOpInsertingALoneSurrogateIsWrittenAsJavaScriptWouldWriteIt()
    {
        var entry = new LogEntry(5, Ops.Insert(2, 1, "\ud83d"), "c\ud83d", "i\ude00", User, 0);

        var frame = ServerFrames.Op("p\ud83d", entry);

        Assert.That(frame, Is.EqualTo(JavaScriptJson.Utf8(
            """{"type":"op","path":""" + Js("p\ud83d") + ""","revision":5,"op":[1,"\ud83d",1],"clientId":""" + Js("c\ud83d") + ""","id":""" + Js("i\ude00") + "}")));
    }

    [Test]
    public void AResumedJoinWithALoneSurrogateInAnOpIsWrittenAsJavaScriptWouldWriteIt()
    {
        var entry = new LogEntry(2, Ops.Insert(0, 0, "\ude00"), "c", "i", User, 0);

        var frame = ServerFrames.JoinedResumed("p", 2, [entry], readOnly: true, [], "me");

        Assert.That(frame, Is.EqualTo(JavaScriptJson.Utf8(
            """{"type":"joined","path":"p","revision":2,"readOnly":true,"clientId":"me","peers":[],"ops":[{"revision":2,"op":["\ude00"],"clientId":"c","id":"i"}]}""")));
    }

    // Given in code, not in [TestCase]: an attribute's strings are stored as UTF-8, which has no lone surrogate.
    public static IEnumerable<TestCaseData> Paths() =>
    [
        new TestCaseData("p\ud83d").SetName("a lone high surrogate"),
        new TestCaseData("\ude00p").SetName("a lone low surrogate"),
        new TestCaseData("src/\"a\"\\b.py").SetName("quotes and a backslash"),
        new TestCaseData("dossier/été 漢字 😀\u2028\u0007.md").SetName("unicode and control characters"),
    ];

    [TestCaseSource(nameof(Paths))]
    public void AnErrorsPathIsWrittenAsJavaScriptWouldWriteIt(string path)
    {
        var frame = ServerFrames.Error(ErrorCodes.InvalidOp, "bad op", "op-1", path);

        Assert.That(frame, Is.EqualTo(JavaScriptJson.Utf8(
            $$"""{"type":"error","code":"invalid_op","message":"bad op","id":"op-1","path":{{Js(path)}}}""")));
    }

    [Test]
    public void RandomStringsInEveryFieldAreWrittenAsJavaScriptWouldWriteThem()
    {
        var random = new RandomText(4242);
        for (var i = 0; i < 2_000; i++)
        {
            var (path, id, clientId, name, message) =
                (random.Next(12, loneSurrogates: true), random.Next(12, loneSurrogates: true), random.Next(6, loneSurrogates: true), random.Next(6, loneSurrogates: true), random.Next(20, loneSurrogates: true));
            var selection = new Selection(i, i + 1);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(ServerFrames.Ack(path, i, id), Is.EqualTo(JavaScriptJson.Utf8(
                    $$"""{"type":"ack","path":{{Js(path)}},"revision":{{i}},"id":{{Js(id)}}}""")), path);
                Assert.That(ServerFrames.PeerLeft(path, clientId), Is.EqualTo(JavaScriptJson.Utf8(
                    $$"""{"type":"peer-left","path":{{Js(path)}},"clientId":{{Js(clientId)}}}""")));
                Assert.That(ServerFrames.Selection(path, clientId, name, [selection]), Is.EqualTo(JavaScriptJson.Utf8(
                    $$"""{"type":"selection","path":{{Js(path)}},"clientId":{{Js(clientId)}},"username":{{Js(name)}},"selections":[{"anchor":{{i}},"head":{{i + 1}}}]}""")));
                Assert.That(ServerFrames.Error("invalid_op", message, id), Is.EqualTo(JavaScriptJson.Utf8(
                    $$"""{"type":"error","code":"invalid_op","message":{{Js(message)}},"id":{{Js(id)}}}""")));
                Assert.That(ServerFrames.Error("not_found", message, id, path), Is.EqualTo(JavaScriptJson.Utf8(
                    $$"""{"type":"error","code":"not_found","message":{{Js(message)}},"id":{{Js(id)}},"path":{{Js(path)}}}""")));
                Assert.That(ServerFrames.Closed(path, "moved", name), Is.EqualTo(JavaScriptJson.Utf8(
                    $$"""{"type":"closed","path":{{Js(path)}},"to":{{Js(name)}},"reason":"moved"}""")));
                Assert.That(ServerFrames.PeerJson(new Peer(clientId, User, name, "#fff", [selection])), Is.EqualTo(
                    $$"""{"clientId":{{Js(clientId)}},"userId":"{{User}}","username":{{Js(name)}},"color":"#fff","selections":[{"anchor":{{i}},"head":{{i + 1}}}]}"""));
            }
        }
    }
}
