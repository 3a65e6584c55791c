using WebIde.Execution.Checks;

namespace WebIde.Execution.UnitTests.Checks;

public sealed class CheckedFileTests
{
    // "é" is 2 UTF-8 bytes and 1 UTF-16 unit, "😀" 4 bytes, 1 code point, 2 UTF-16 units.
    private static readonly CheckedFile File = new("src/a.c", "int x;\r\n\"é😀\" + y\n");

    // A byte inside a character moves past it; past the end of the line, one column per byte.
    [TestCase(1, 1)]
    [TestCase(2, 2)]
    [TestCase(3, 3)]
    [TestCase(4, 3)]
    [TestCase(5, 5)]
    [TestCase(8, 5)]
    [TestCase(9, 6)]
    [TestCase(10, 7)]
    [TestCase(12, 9)]
    [TestCase(13, 10)]
    [TestCase(15, 12)]
    public void Utf8ByteColumns(int bytes, int utf16) => Assert.That(File.ColumnFromUtf8(2, bytes), Is.EqualTo(utf16));

    [TestCase(1, 1)]
    [TestCase(3, 3)]
    [TestCase(4, 5)]
    [TestCase(5, 6)]
    [TestCase(8, 9)]
    [TestCase(10, 11)]
    public void CodePointColumns(int codePoints, int utf16) => Assert.That(File.ColumnFromCodePoints(2, codePoints), Is.EqualTo(utf16));

    [Test]
    public void RangesAreClampedIntoTheText()
    {
        Assert.That(File.Range(0, 0, 0, 0, DiagnosticSeverity.Error, "m"), Is.EqualTo(new Diagnostic(1, 1, 1, 4, DiagnosticSeverity.Error, "m")), "widened to the word");
        Assert.That(File.Range(1, 50, 1, 60, DiagnosticSeverity.Error, "m"), Is.EqualTo(new Diagnostic(1, 7, 1, 7, DiagnosticSeverity.Error, "m")), "the carriage return is not text");
        Assert.That(File.Range(2, 5, 1, 1, DiagnosticSeverity.Error, "m"), Is.EqualTo(new Diagnostic(2, 5, 2, 6, DiagnosticSeverity.Error, "m")), "end not before start");
        Assert.That(File.Range(9, 1, 9, 1, DiagnosticSeverity.Error, "m"), Is.EqualTo(new Diagnostic(3, 1, 3, 1, DiagnosticSeverity.Error, "m")), "the empty last line");
    }

    [Test]
    public void APointCoversTheIdentifierOrTheWholeCharacterThere()
    {
        Assert.That(File.At(2, 9, DiagnosticSeverity.Warning, "m"), Is.EqualTo(new Diagnostic(2, 9, 2, 10, DiagnosticSeverity.Warning, "m")));
        Assert.That(File.At(2, 3, DiagnosticSeverity.Warning, "m"), Is.EqualTo(new Diagnostic(2, 3, 2, 5, DiagnosticSeverity.Warning, "m")), "a surrogate pair");
        Assert.That(File.At(1, 5, DiagnosticSeverity.Warning, "m"), Is.EqualTo(new Diagnostic(1, 5, 1, 6, DiagnosticSeverity.Warning, "m")));
    }

    [Test]
    public void WithoutTheTextColumnsPassThrough()
    {
        var file = new CheckedFile("a.go", null);

        Assert.That(file.ColumnFromUtf8(1, 9), Is.EqualTo(9));
        Assert.That(file.At(3, 4, DiagnosticSeverity.Error, "m"), Is.EqualTo(new Diagnostic(3, 4, 3, 5, DiagnosticSeverity.Error, "m")));
        Assert.That(file.WholeLine(3, DiagnosticSeverity.Error, "m"), Is.EqualTo(new Diagnostic(3, 1, 3, 2, DiagnosticSeverity.Error, "m")));
    }

    [TestCase("src/a.c", "", true)]
    [TestCase("./src/a.c", "", true)]
    [TestCase("/sandbox/src/a.c", "", true)]
    [TestCase("file:///sandbox/src/a.c", "", true)]
    [TestCase("a.c", "src", true)]
    [TestCase("./a.c", "src", true)]
    [TestCase("/sandbox/src/a.c", "src", true)]
    [TestCase("a.c", "", false)]
    [TestCase("src/a.cc", "", false)]
    [TestCase("other/src/a.c", "", false)]
    public void TheFileIsRecognisedHoweverTheToolWritesItsPath(string reported, string relativeTo, bool expected) =>
        Assert.That(File.Is(reported, relativeTo), Is.EqualTo(expected));
}
