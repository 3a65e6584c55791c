using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Storage;
using WebIde.Collaboration.UnitTests.Support;

namespace WebIde.Collaboration.UnitTests.Storage;

public sealed class StoredDocumentTests
{
    // "abc" at 5; 6 inserts "X" at 1; 7 deletes the "c"; 8 appends a lone high surrogate.
    private static readonly StoredDocument Document = new(
        BaseRevision: 5,
        BaseText: "abc",
        Revision: 8,
        FileVersion: 2,
        FileRevision: 6,
        Entries:
        [
            Entry(6, Ops.Insert(3, 1, "X")),
            Entry(7, Ops.Delete(4, 3, 1)),
            Entry(8, Ops.Insert(3, 3, "\ud83d")),
        ]);

    // Not [TestCase]: attribute strings are stored as UTF-8, which turns a lone surrogate into U+FFFD;
    // and named, since the test adapter silently drops a test whose name holds a lone surrogate.
    public static IEnumerable<TestCaseData> Texts() =>
    [
        new TestCaseData(5L, "abc").SetName("the base text at the base revision"),
        new TestCaseData(6L, "aXbc").SetName("one entry applied"),
        new TestCaseData(7L, "aXb").SetName("two entries applied"),
        new TestCaseData(8L, "aXb\ud83d").SetName("every entry applied, a lone surrogate kept"),
    ];

    [TestCaseSource(nameof(Texts))]
    public void TheTextAtARevisionHasTheEntriesUpToItApplied(long revision, string text)
    {
        Assert.That(Document.TextAt(revision), Is.EqualTo(text));
    }

    [TestCase(4)]
    [TestCase(9)]
    [TestCase(-1)]
    [TestCase(long.MaxValue)]
    public void ARevisionOutsideTheKeptOnesIsRefused(long revision)
    {
        Assert.That(() => Document.TextAt(revision), Throws.InstanceOf<ArgumentOutOfRangeException>()
            .With.Property(nameof(ArgumentOutOfRangeException.ParamName)).EqualTo("revision"));
    }

    [Test]
    public void ADocumentWithoutEntriesHasOnlyItsBaseText()
    {
        var document = new StoredDocument(3, "base", 3, 1, 3, []);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(document.TextAt(3), Is.EqualTo("base"));
            Assert.That(() => document.TextAt(4), Throws.InstanceOf<ArgumentOutOfRangeException>());
        }
    }

    private static LogEntry Entry(long revision, WebIde.Ot.TextOperation op) => new(revision, op, "c", $"op-{revision}", Guid.Empty, 0);
}
