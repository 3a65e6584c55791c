using System.Text;
using System.Text.Json;
using WebIde.Collaboration.Documents;
using WebIde.Collaboration.UnitTests.Support;
using WebIde.Ot;

namespace WebIde.Collaboration.UnitTests.Documents;

public sealed class LogEntryTests
{
    private static readonly Guid User = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    public static IEnumerable<TestCaseData> Entries() =>
    [
        new TestCaseData(new LogEntry(1, Ops.Insert(0, 0, "hello"), "c1", "op-1", User, 1_700_000_000_000)).SetName("plain"),
        new TestCaseData(new LogEntry(long.MaxValue, Ops.Delete(3, 1, 2), "file", "f", Guid.Empty, 0)).SetName("largest revision, empty user"),
        new TestCaseData(new LogEntry(2, Ops.Insert(1, 1, "\ud83d"), "c", "1", User, 1)).SetName("lone high surrogate insert"),
        new TestCaseData(new LogEntry(2, Ops.Insert(1, 0, "\ude00"), "c", "1", User, 1)).SetName("lone low surrogate insert"),
        new TestCaseData(new LogEntry(2, Ops.Insert(0, 0, "😀 🎉 𝄞"), "c", "1", User, 1)).SetName("emoji insert"),
        new TestCaseData(new LogEntry(2, Ops.Insert(0, 0, "\"\\/\b\f\n\r\t\u0000\u001f\u007f\u2028"), "c", "1", User, 1)).SetName("escapes and controls"),
        new TestCaseData(new LogEntry(3, TextOperation.CreateBuilder().Retain(2).Insert("é").Delete(3).Retain(1).Insert("\ud83d").ToOperation(), "c", "1", User, 1)).SetName("mixed op"),
        new TestCaseData(new LogEntry(4, Ops.Insert(0, 0, "x"), "c\"1\\", "id \"quoted\" \\ back\\slash", User, 1)).SetName("quotes and backslashes in ids"),
        new TestCaseData(new LogEntry(4, Ops.Insert(0, 0, "x"), "клиент", "ид-漢字-😀-\ud83d", User, 1)).SetName("unicode and a lone surrogate in ids"),
        new TestCaseData(new LogEntry(4, TextOperation.Empty, "", "", User, -1)).SetName("empty op and ids"),
    ];

    [TestCaseSource(nameof(Entries))]
    public void AnEntryReadsBackAsItWasWritten(LogEntry entry)
    {
        var parsed = LogEntry.Parse(JavaScriptJson.Utf8(entry.ToJson()));

        Assert.That(parsed, Is.EqualTo(entry));
    }

    [TestCaseSource(nameof(Entries))]
    public void AnEntryIsWrittenAsUtf8WithoutReplacementCharacters(LogEntry entry)
    {
        var bytes = Encoding.UTF8.GetBytes(entry.ToJson());

        Assert.That(Encoding.UTF8.GetString(bytes), Does.Not.Contain("\ufffd"));
    }

    [Test]
    public void AnEntryIsJsonWithTheContractsFieldNames()
    {
        var entry = new LogEntry(7, Ops.Insert(2, 1, "é😀"), "c\"1", "op\\9", User, 1234);

        using var json = JsonDocument.Parse(entry.ToJson());
        var root = json.RootElement;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.GetProperty("revision").GetInt64(), Is.EqualTo(7));
            Assert.That(root.GetProperty("op").GetRawText(), Is.EqualTo("[1,\"é😀\",1]"));
            Assert.That(root.GetProperty("clientId").GetString(), Is.EqualTo("c\"1"));
            Assert.That(root.GetProperty("id").GetString(), Is.EqualTo("op\\9"));
            Assert.That(root.GetProperty("userId").GetGuid(), Is.EqualTo(User));
            Assert.That(root.GetProperty("at").GetInt64(), Is.EqualTo(1234));
        }
    }

    [Test]
    public void ALoneSurrogateIsWrittenAsJavaScriptWould()
    {
        var entry = new LogEntry(1, Ops.Insert(0, 0, "a\ud83d"), "c", "\ude00", User, 1);

        Assert.That(entry.ToJson(), Does.Contain("\"op\":[\"a\\ud83d\"]").And.Contain("\"id\":\"\\ude00\""));
    }

    [Test]
    public void UnknownFieldsAreSkipped()
    {
        var json = $$"""{"extra":{"a":[1,2]},"revision":3,"op":[1],"clientId":"c","id":"i","userId":"{{User}}","at":5,"more":null}""";

        var entry = LogEntry.Parse(Encoding.UTF8.GetBytes(json));

        Assert.That(entry, Is.EqualTo(new LogEntry(3, TextOperation.CreateBuilder().Retain(1).ToOperation(), "c", "i", User, 5)));
    }

    [Test]
    public void AnEntryWithoutAnOpIsRefused()
    {
        var json = $$"""{"revision":3,"clientId":"c","id":"i","userId":"{{User}}","at":5}""";

        Assert.That(() => LogEntry.Parse(Encoding.UTF8.GetBytes(json)), Throws.InstanceOf<JsonException>());
    }

    [Test]
    public void RandomEntriesReadBackAsTheyWereWritten()
    {
        var random = new RandomText(20261126);
        for (var i = 0; i < 500; i++)
        {
            var insert = random.Next(30, loneSurrogates: true);
            var entry = new LogEntry(i, Ops.Insert(0, 0, insert), random.Next(10, loneSurrogates: true), random.Next(10, loneSurrogates: true), Guid.NewGuid(), i);

            Assert.That(LogEntry.Parse(Encoding.UTF8.GetBytes(entry.ToJson())), Is.EqualTo(entry), entry.ToJson());
        }
    }
}
