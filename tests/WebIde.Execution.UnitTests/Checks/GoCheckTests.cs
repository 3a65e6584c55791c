using static WebIde.Execution.UnitTests.Checks.CheckFixture;

namespace WebIde.Execution.UnitTests.Checks;

public sealed class GoCheckTests
{
    private const string File = "src/main.go";

    [Test]
    public void TheFixturesCameFromThisCommand([Values("clean", "syntax", "multi", "warning", "unicode", "other-file", "beside-c")] string @case) =>
        AssertCapturedWithTheCommand("go", @case, File);

    [Test]
    public void TheTestFileFixtureCameFromThisCommand() => AssertCapturedWithTheCommand("go", "tests", "src/main_test.go");

    [Test]
    public void TheModuleFixtureCameFromThisCommand() => AssertCapturedWithTheCommand("go", "module", "svc/cmd/main.go");

    [Test]
    public void ACleanPackageHasNoDiagnostics() => Assert.That(Check("go", "clean", File), Is.Empty);

    [Test]
    public void ASyntaxError() =>
        Assert.That(Check("go", "syntax", File), Is.EqualTo(new[] { Error(4, 7, 4, 8, "syntax error: unexpected ), expecting expression") }));

    [Test]
    public void EveryCompileErrorNotJustTheFirstAsVetWouldGive() =>
        Assert.That(Check("go", "multi", File), Is.EqualTo(new[]
        {
            Error(6, 14, 6, 24, "undefined: undefinedA"),
            Error(6, 26, 6, 36, "undefined: undefinedB"),
            Error(7, 6, 7, 12, "unused declared but not used"),
        }));

    [Test]
    public void VetFindingsAreWarnings() =>
        Assert.That(Check("go", "warning", File), Is.EqualTo(new[] { Warning(6, 2, 6, 5, "fmt.Printf format %d has arg \"text\" of wrong type string") }));

    [Test]
    public void ByteColumnsBecomeUtf16Columns()
    {
        // <tab>s := "é😀"; fmt.Println(s, undefinedName) — byte 32 is UTF-16 unit 29.
        Assert.That(Check("go", "unicode", File), Is.EqualTo(new[] { Error(6, 29, 6, 42, "undefined: undefinedName") }));
        Assert.That(Check("go", "unicode", File, withText: false), Is.EqualTo(new[] { Error(6, 32, 6, 33, "undefined: undefinedName") }));
    }

    [Test]
    public void AnotherFileOfThePackageIsLeftOut() => Assert.That(Check("go", "other-file", File), Is.Empty);

    [Test]
    public void InAModuleThePathsAreRelativeToItsDirectory() =>
        Assert.That(Check("go", "module", "svc/cmd/main.go"), Is.EqualTo(new[] { Error(7, 14, 7, 21, "undefined: missing") }));

    [Test]
    public void CFilesBesideTheGoFilesDoNotStopTheCheck() =>
        // `go build ./src` stopped at "C source files not allowed when not using cgo" with nothing located in the file.
        Assert.That(Check("go", "beside-c", File), Is.EqualTo(new[] { Error(6, 24, 6, 31, "undefined: missing") }));

    [Test]
    public void VetChecksTheFoldersTestFiles() =>
        Assert.That(Check("go", "tests", "src/main_test.go"), Is.EqualTo(new[] { Warning(9, 2, 9, 5, "fmt.Printf format %d has arg \"text\" of wrong type string") }));
}
