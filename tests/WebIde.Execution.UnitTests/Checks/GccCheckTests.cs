using static WebIde.Execution.UnitTests.Checks.CheckFixture;

namespace WebIde.Execution.UnitTests.Checks;

public sealed class GccCheckTests
{
    [Test]
    public void TheFixturesCameFromThisCommand(
        [Values("c/clean", "c/syntax", "c/multi", "c/warning", "c/unicode", "c/other-file",
            "cpp/clean", "cpp/syntax", "cpp/multi", "cpp/unicode", "cpp/other-file")] string fixture)
    {
        var (language, @case) = (fixture.Split('/')[0], fixture.Split('/')[1]);
        AssertCapturedWithTheCommand(language, @case, $"src/main.{language}");
    }

    [Test]
    public void CheckingAHeaderItselfIsCapturedToo() => AssertCapturedWithTheCommand("cpp", "header", "include/a.hpp");

    [Test]
    public void CleanFilesHaveNoDiagnostics()
    {
        Assert.That(Check("c", "clean", "src/main.c"), Is.Empty);
        Assert.That(Check("cpp", "clean", "src/main.cpp"), Is.Empty);
    }

    [Test]
    public void ASyntaxErrorHasGccsRangeAndWarningsComeAlong()
    {
        Assert.That(Check("c", "syntax", "src/main.c"), Is.EqualTo(new[]
        {
            Warning(2, 9, 2, 10, "unused variable ‘x’"),
            Error(3, 5, 3, 11, "expected ‘,’ or ‘;’ before ‘return’"),
        }));
        Assert.That(Check("cpp", "syntax", "src/main.cpp"), Is.EqualTo(new[] { Error(2, 13, 2, 13, "expected ‘;’ before ‘}’ token") }));
    }

    [Test]
    public void AllErrorsAndWarningsAreReportedWithInclusiveFinishesMadeExclusive() =>
        Assert.That(Check("c", "multi", "src/main.c"), Is.EqualTo(new[]
        {
            Warning(4, 9, 4, 15, "unused variable ‘unused’"),
            Warning(5, 13, 5, 15, "format ‘%d’ expects argument of type ‘int’, but argument 2 has type ‘char *’"),
            Error(6, 12, 6, 19, "‘missing’ undeclared (first use in this function)"),
            Error(8, 13, 8, 14, "expected declaration specifiers or ‘...’ before ‘{’ token"),
        }));

    [Test]
    public void AWarningOnly() =>
        Assert.That(Check("c", "warning", "src/main.c"), Is.EqualTo(new[] { Warning(2, 9, 2, 15, "unused variable ‘unused’") }));

    [Test]
    public void ByteColumnsBecomeUtf16Columns()
    {
        // <tab>const char *s = "é😀"; int x = undefined_var + 1; — bytes 36..48, UTF-16 units 33..45.
        Assert.That(Check("c", "unicode", "src/main.c"), Is.EqualTo(new[]
        {
            Warning(2, 14, 2, 15, "unused variable ‘s’"),
            Error(2, 33, 2, 46, "‘undefined_var’ undeclared (first use in this function)"),
        }));
        Assert.That(Check("cpp", "unicode", "src/main.cpp"), Is.EqualTo(new[]
        {
            Error(3, 42, 3, 56, "‘std::string’ {aka ‘class std::__cxx11::basic_string<char>’} has no member named ‘no_such_member’"),
        }));
    }

    [Test]
    public void CppErrorsNotesLeftOutAndAnErrorAtTheEndOfALineIsEmpty() =>
        Assert.That(Check("cpp", "multi", "src/main.cpp"), Is.EqualTo(new[]
        {
            Error(6, 7, 6, 15, "‘class std::vector<int>’ has no member named ‘push_bak’; did you mean ‘push_back’?"),
            Error(7, 15, 7, 18, "invalid conversion from ‘const char*’ to ‘int’"),
            Warning(8, 9, 8, 15, "unused variable ‘unused’"),
            Error(9, 13, 9, 13, "expected ‘;’ before ‘}’ token"),
        }));

    [Test]
    public void AnIncludedHeadersErrorsAreLeftOut()
    {
        Assert.That(Check("c", "other-file", "src/main.c"), Is.Empty);
        Assert.That(Check("cpp", "other-file", "src/main.cpp"), Is.Empty);
    }

    [Test]
    public void AHeaderCheckedOnItsOwnIsNotBlamedForBeingTheMainFile() => Assert.That(Check("cpp", "header", "include/a.hpp"), Is.Empty);
}
