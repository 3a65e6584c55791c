using static WebIde.Execution.UnitTests.Checks.CheckFixture;

namespace WebIde.Execution.UnitTests.Checks;

public sealed class RustcCheckTests
{
    private const string File = "src/main.rs";

    [Test]
    public void TheFixturesCameFromThisCommand([Values("clean", "syntax", "multi", "warning", "unicode", "other-file")] string @case) =>
        AssertCapturedWithTheCommand("rust", @case, File);

    [Test]
    public void AModuleIsCheckedThroughItsCrateRoot() => AssertCapturedWithTheCommand("rust", "module", "src/util.rs");

    [Test]
    public void ACleanCrateHasNoDiagnostics() => Assert.That(Check("rust", "clean", File), Is.Empty);

    [Test]
    public void ASyntaxErrorWithoutTheSummaryLines() =>
        Assert.That(Check("rust", "syntax", File), Is.EqualTo(new[] { Error(2, 13, 2, 14, "expected expression, found `;`") }));

    [Test]
    public void AllErrorsWithThePrimarySpansLabel() =>
        Assert.That(Check("rust", "multi", File), Is.EqualTo(new[]
        {
            Error(2, 18, 2, 24, "mismatched types\nexpected `i32`, found `&str`"),
            Error(3, 20, 3, 35, "cannot find value `undefined_thing` in this scope\nnot found in this scope"),
            Error(4, 15, 4, 17, "1 positional argument in format string, but no arguments were given"),
        }));

    [Test]
    public void LintWarnings() =>
        Assert.That(Check("rust", "warning", File), Is.EqualTo(new[]
        {
            Warning(2, 9, 2, 15, "unused variable: `unused`"),
            Warning(3, 9, 3, 26, "variable does not need to be mutable"),
        }));

    [Test]
    public void CodePointColumnsBecomeUtf16Columns() =>
        // let s = "é😀"; let x: i32 = s; — the "s" is code point 32, UTF-16 unit 33.
        Assert.That(Check("rust", "unicode", File), Is.EqualTo(new[] { Error(2, 33, 2, 34, "mismatched types\nexpected `i32`, found `&str`") }));

    [Test]
    public void AModulesErrorsAreLeftOutOfTheRoots() => Assert.That(Check("rust", "other-file", File), Is.Empty);

    [Test]
    public void TheRootsDiagnosticsAreLeftOutOfTheModules() =>
        Assert.That(Check("rust", "module", "src/util.rs"), Is.EqualTo(new[] { Warning(2, 9, 2, 15, "unused variable: `unused`") }));
}
