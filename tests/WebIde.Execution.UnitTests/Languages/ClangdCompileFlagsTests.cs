using WebIde.Execution.Languages;
using WebIde.Execution.Languages.Definitions;
using WebIde.Tests.Shared;

namespace WebIde.Execution.UnitTests.Languages;

/// <summary>
/// clangd reads a project's flags from the compile_flags.txt its definition names (deploy/runner/language-servers/clangd),
/// which build.sh puts into the image: the file is there, the image's tag covers it and it parses the language as runs
/// build it.
/// </summary>
public sealed class ClangdCompileFlagsTests
{
    private const string Option = "--compile-commands-dir=";

    private static IEnumerable<TestCaseData> ClangdLanguages =>
        new LanguageDefinition[] { new C(), new Cpp() }.Select(language => new TestCaseData(language).SetArgDisplayNames(language.Name));

    [TestCaseSource(nameof(ClangdLanguages))]
    public void TheFlagsFileIsInTheImageAndHasTheRunsStandard(LanguageDefinition language)
    {
        var folder = language.LanguageServer!.Command.Single(argument => argument.StartsWith(Option, StringComparison.Ordinal))[Option.Length..];
        Assert.That(folder, Does.StartWith(LanguageServer.Root + "/"));
        var relative = $"{folder[(LanguageServer.Root.Length + 1)..]}/compile_flags.txt";
        var file = Path.Combine(Checkout.Root, "deploy/runner/language-servers", relative);
        var standard = language.CompileCommand(new SourceProject([], "main" + language.Extensions[0], []))!.Single(argument => argument.StartsWith("-std=", StringComparison.Ordinal));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.Exists(file), Is.True, file);
            Assert.That(File.Exists(file) ? File.ReadAllLines(file) : [], Does.Contain(standard), "the standard runs compile with");
            Assert.That(File.ReadAllText(Path.Combine(Checkout.Root, "deploy/runner/build.sh")), Does.Contain(relative), "build.sh's SERVER_FILES");
        }
    }
}
