using static WebIde.Execution.UnitTests.Checks.CheckFixture;

namespace WebIde.Execution.UnitTests.Checks;

public sealed class NodeCheckTests
{
    private const string File = "src/main.js";

    [Test]
    public void TheFixturesCameFromThisCommand([Values("clean", "syntax", "multi", "module", "unicode", "other-file")] string @case) =>
        AssertCapturedWithTheCommand("javascript", @case, File);

    [Test]
    public void ACleanFileHasNoDiagnostics() => Assert.That(Check("javascript", "clean", File), Is.Empty);

    [Test]
    public void ASyntaxErrorIsWhereTheCaretIs() =>
        Assert.That(Check("javascript", "syntax", File), Is.EqualTo(new[] { Error(2, 5, 2, 6, "Unexpected token ';'") }));

    [Test]
    public void OnlyTheFirstErrorIsReportedAsWideAsItsCarets() =>
        Assert.That(Check("javascript", "multi", File), Is.EqualTo(new[] { Error(1, 5, 1, 8, "let is disallowed as a lexically bound name") }));

    [Test]
    public void NodesOwnWarningLinesAreNotDiagnostics() =>
        Assert.That(Check("javascript", "module", File), Is.EqualTo(new[] { Error(1, 1, 1, 7, "Cannot use import statement outside a module") }));

    [Test]
    public void TheCaretLineCountsUtf16UnitsAndKeepsTabs()
    {
        // <tab>const s = "é😀"; let x = ) ; — the ")" is UTF-16 unit 27, with or without the text.
        Assert.That(Check("javascript", "unicode", File), Is.EqualTo(new[] { Error(2, 27, 2, 28, "Unexpected token ')'") }));
        Assert.That(Check("javascript", "unicode", File, withText: false), Is.EqualTo(new[] { Error(2, 27, 2, 28, "Unexpected token ')'") }));
    }

    [Test]
    public void AnotherFilesErrorIsNotChecked() => Assert.That(Check("javascript", "other-file", File), Is.Empty);
}
