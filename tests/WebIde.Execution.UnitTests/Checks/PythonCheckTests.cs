using static WebIde.Execution.UnitTests.Checks.CheckFixture;

namespace WebIde.Execution.UnitTests.Checks;

public sealed class PythonCheckTests
{
    private const string File = "src/main.py";

    [Test]
    public void TheFixturesCameFromThisCommand([Values("clean", "syntax", "multi", "warning", "unicode", "other-file")] string @case) =>
        AssertCapturedWithTheCommand("python", @case, File);

    [Test]
    public void ACleanFileHasNoDiagnostics() => Assert.That(Check("python", "clean", File), Is.Empty);

    [Test]
    public void ASyntaxErrorHasItsRange() =>
        Assert.That(Check("python", "syntax", File), Is.EqualTo(new[] { Error(1, 7, 1, 8, "invalid syntax") }));

    [Test]
    public void OnlyTheFirstErrorIsReportedAndAnEmptyRangeCoversTheCharacter() =>
        Assert.That(Check("python", "multi", File),
            Is.EqualTo(new[] { Error(2, 5, 2, 6, "closing parenthesis ']' does not match opening parenthesis '(' on line 1") }));

    [Test]
    public void CompileWarningsHaveNoColumnSoTheyCoverTheLine() =>
        Assert.That(Check("python", "warning", File), Is.EqualTo(new[]
        {
            Warning(2, 1, 2, 11, "\"is\" with a literal. Did you mean \"==\"?"),
            Warning(3, 1, 3, 16, "invalid escape sequence '\\d'"),
        }));

    [Test]
    public void CodePointColumnsBecomeUtf16Columns()
    {
        // s = "é😀"; y = fooo bar — "bar" is at code points 20..22, at UTF-16 units 21..23 (😀 is two).
        Assert.That(Check("python", "unicode", File), Is.EqualTo(new[] { Error(2, 21, 2, 24, "invalid syntax") }));
        Assert.That(Check("python", "unicode", File, withText: false), Is.EqualTo(new[] { Error(2, 20, 2, 23, "invalid syntax") }));
    }

    [Test]
    public void OnlyTheFileIsCompiledAndTheProjectCannotShadowTheScriptsImports() =>
        // The project's src/json.py does not even parse; python3 -I keeps it from replacing the json module.
        Assert.That(Check("python", "other-file", File), Is.Empty);
}
