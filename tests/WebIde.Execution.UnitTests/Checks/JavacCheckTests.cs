using static WebIde.Execution.UnitTests.Checks.CheckFixture;

namespace WebIde.Execution.UnitTests.Checks;

public sealed class JavacCheckTests
{
    private const string File = "src/app/Main.java";

    [Test]
    public void TheFixturesCameFromThisCommand([Values("clean", "syntax", "multi", "warning", "unicode", "other-file")] string @case) =>
        AssertCapturedWithTheCommand("java", @case, File);

    [Test]
    public void ACleanFileThatUsesAnotherClassHasNoDiagnostics() => Assert.That(Check("java", "clean", File), Is.Empty);

    [Test]
    public void ASyntaxErrorAtTheEndOfALineIsAnEmptyRangeThere() =>
        Assert.That(Check("java", "syntax", File), Is.EqualTo(new[] { Error(5, 18, 5, 18, "';' expected") }));

    [Test]
    public void AllErrorsWithTheirFurtherLinesAndTheCaretLinesTabsKept() =>
        Assert.That(Check("java", "multi", File), Is.EqualTo(new[]
        {
            Error(5, 10, 5, 11, "incompatible types: String cannot be converted to int"),
            Error(6, 28, 6, 40, "cannot find symbol\nsymbol:   variable undefinedVar\nlocation: class Main"),
            Error(7, 13, 7, 14, "no suitable method found for max(String)\n"
                + string.Join('\n', new[] { "int,int", "long,long", "float,float", "double,double" }
                    .Select(types => $"method Math.max({types}) is not applicable\n(actual and formal argument lists differ in length)"))),
        }));

    [Test]
    public void LintWarnings() =>
        Assert.That(Check("java", "warning", File), Is.EqualTo(new[]
        {
            Warning(7, 9, 7, 13, "[rawtypes] found raw type: List\nmissing type arguments for generic class List<E>\nwhere E is a type-variable:\nE extends Object declared in interface List"),
            Warning(7, 24, 7, 33, "[rawtypes] found raw type: ArrayList\nmissing type arguments for generic class ArrayList<E>\nwhere E is a type-variable:\nE extends Object declared in class ArrayList"),
            Warning(7, 44, 7, 45, "[unchecked] unchecked call to add(E) as a member of the raw type List\nwhere E is a type-variable:\nE extends Object declared in interface List"),
        }));

    [Test]
    public void TheCaretCountsUtf16Units() =>
        // String s = "é😀"; int x = s; — javac pads one space per Java char, so the caret is already at UTF-16 unit 35.
        Assert.That(Check("java", "unicode", File), Is.EqualTo(new[] { Error(5, 35, 5, 36, "incompatible types: String cannot be converted to int") }));

    [Test]
    public void AnotherCompiledFilesErrorsAreLeftOut() => Assert.That(Check("java", "other-file", File), Is.Empty);
}
