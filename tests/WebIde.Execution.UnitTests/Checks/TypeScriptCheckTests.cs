using static WebIde.Execution.UnitTests.Checks.CheckFixture;

namespace WebIde.Execution.UnitTests.Checks;

public sealed class TypeScriptCheckTests
{
    private const string File = "src/main.ts";

    [Test]
    public void TheFixturesCameFromThisCommand([Values("clean", "syntax", "multi", "unicode", "other-file")] string @case) =>
        AssertCapturedWithTheCommand("typescript", @case, File);

    [Test]
    public void ACleanFileWithImportsAndNodeTypesHasNoDiagnostics() => Assert.That(Check("typescript", "clean", File), Is.Empty);

    [Test]
    public void ASyntaxErrorCoversTheCharacterAtItsPoint() =>
        Assert.That(Check("typescript", "syntax", File), Is.EqualTo(new[] { Error(1, 11, 1, 12, "Expression expected.") }));

    [Test]
    public void TypeErrorsCoverTheIdentifierAtTheirPointAndKeepTheirFurtherLines() =>
        Assert.That(Check("typescript", "multi", File), Is.EqualTo(new[]
        {
            Error(2, 26, 2, 27, "Type 'string' is not assignable to type 'number'."),
            Error(3, 12, 3, 13, "Parameter 'a' implicitly has an 'any' type."),
            Error(4, 19, 4, 32, "Cannot find name 'undefinedName'. Did you mean 'undefined'?"),
            Error(5, 7, 5, 8, "Type '(a: string) => string' is not assignable to type '(a: number) => string'.\n"
                + "Types of parameters 'a' and 'a' are incompatible.\nType 'number' is not assignable to type 'string'."),
        }));

    [Test]
    public void ColumnsAreAlreadyUtf16() =>
        // const s: string = "é😀"; const n: number = s; — "n" is UTF-16 unit 32.
        Assert.That(Check("typescript", "unicode", File), Is.EqualTo(new[] { Error(1, 32, 1, 33, "Type 'string' is not assignable to type 'number'.") }));

    [Test]
    public void AnImportedFilesErrorsAreLeftOut() => Assert.That(Check("typescript", "other-file", File), Is.Empty);
}
