using static WebIde.Execution.UnitTests.Checks.CheckFixture;

namespace WebIde.Execution.UnitTests.Checks;

public sealed class BashCheckTests
{
    private const string File = "src/main.sh";

    [Test]
    public void TheFixturesCameFromThisCommand([Values("clean", "syntax", "multi", "warning", "unicode", "other-file")] string @case) =>
        AssertCapturedWithTheCommand("bash", @case, File);

    [Test]
    public void ACleanScriptHasNoDiagnostics() => Assert.That(Check("bash", "clean", File), Is.Empty);

    [Test]
    public void ASyntaxErrorCoversItsLineAndTheQuotedLineIsNoSecondDiagnostic() =>
        Assert.That(Check("bash", "syntax", File), Is.EqualTo(new[] { Error(3, 1, 3, 6, "syntax error near unexpected token `fi'") }));

    [Test]
    public void OnlyTheFirstErrorIsReported() =>
        Assert.That(Check("bash", "multi", File), Is.EqualTo(new[] { Error(1, 1, 1, 7, "syntax error near unexpected token `newline'") }));

    [Test]
    public void AnUnterminatedHereDocumentIsAWarning() =>
        Assert.That(Check("bash", "warning", File), Is.EqualTo(new[] { Warning(2, 1, 2, 6, "here-document at line 1 delimited by end-of-file (wanted `EOF')") }));

    [Test]
    public void TheLinesLengthIsCountedInUtf16Units()
    {
        // x=$(echo "é😀" ( is 16 UTF-16 units; without the text only the first character can be marked.
        Assert.That(Check("bash", "unicode", File), Is.EqualTo(new[] { Error(2, 1, 2, 17, "syntax error near unexpected token `('") }));
        Assert.That(Check("bash", "unicode", File, withText: false), Is.EqualTo(new[] { Error(2, 1, 2, 2, "syntax error near unexpected token `('") }));
    }

    [Test]
    public void ASourcedScriptIsNotChecked() => Assert.That(Check("bash", "other-file", File), Is.Empty);
}
