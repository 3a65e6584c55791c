using System.Text.Json;
using WebIde.Execution.Checks;
using WebIde.Execution.Languages;

namespace WebIde.Execution.UnitTests.Checks;

/// <summary>
/// A captured check (Fixtures/&lt;language&gt;/&lt;case&gt;/ the project, .out what the checker printed, .argv.json the
/// command that printed it; see capture.sh), parsed the way the service will.
/// </summary>
internal static class CheckFixture
{
    private static readonly LanguageCatalog Catalog = new();

    private static string Root => Path.Combine(TestContext.CurrentContext.TestDirectory, "Checks", "Fixtures");

    public static IReadOnlyList<Diagnostic> Check(string language, string @case, string path, bool withText = true)
    {
        var output = File.ReadAllText(Path.Combine(Root, language, $"{@case}.out"));
        var text = withText ? File.ReadAllText(Path.Combine(Root, language, @case, path)) : null;
        return Command(language, @case, path).Parse(output, text);
    }

    public static CheckCommand Command(string language, string @case, string path)
    {
        var project = Path.Combine(Root, language, @case);
        var paths = Directory.EnumerateFiles(project, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(project, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        return CheckCommands.For(Catalog.Find(language) ?? throw new AssertionException($"no {language}"), path, paths);
    }

    /// <summary>The fixture is only evidence for the command that produced it.</summary>
    public static void AssertCapturedWithTheCommand(string language, string @case, string path)
    {
        var recorded = JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(Root, language, $"{@case}.argv.json")));
        Assert.That(Command(language, @case, path).Argv, Is.EqualTo(recorded), "run capture.sh after changing a command");
    }

    public static Diagnostic Error(int line, int column, int endLine, int endColumn, string message) =>
        new(line, column, endLine, endColumn, DiagnosticSeverity.Error, message);

    public static Diagnostic Warning(int line, int column, int endLine, int endColumn, string message) =>
        new(line, column, endLine, endColumn, DiagnosticSeverity.Warning, message);
}
