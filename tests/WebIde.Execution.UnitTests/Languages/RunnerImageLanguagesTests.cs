using WebIde.Execution.Languages;
using WebIde.Tests.Shared;

namespace WebIde.Execution.UnitTests.Languages;

/// <summary>The runner image installs and versions what the definitions say: deploy/runner/languages.txt is made from them.</summary>
public sealed class RunnerImageLanguagesTests
{
    private static readonly LanguageCatalog Catalog = new();

    [Test]
    public void TheImagesLanguageListIsTheCatalogs()
    {
        var file = Path.Combine(Checkout.Root, RunnerImageLanguages.RepositoryPath);
        var expected = RunnerImageLanguages.Render(Catalog.All);
        if (Environment.GetEnvironmentVariable("WEBIDE_REGENERATE") == "1")
        {
            File.WriteAllText(file, expected);
            Assert.Pass($"{RunnerImageLanguages.RepositoryPath} rewritten");
        }

        Assert.That(File.ReadAllText(file), Is.EqualTo(expected),
            $"{RunnerImageLanguages.RepositoryPath} is out of step with the language definitions; regenerate it: {RunnerImageLanguages.Regenerate}");
    }

    [Test]
    public void EachLanguageIsOneLineOfNameDisplayNameVersionCommandPackagesAndServer()
    {
        var lines = RunnerImageLanguages.Render(Catalog.All).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => !line.StartsWith('#')).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines.Select(line => line.Split('\t')[0]), Is.EqualTo(Catalog.Names));
            Assert.That(lines, Does.Contain("cpp\tC++ (G++)\tg++ -dumpfullversion\tg++ libc6-dev clangd\tclangd"));
            Assert.That(lines, Does.Contain("rust\tRust\trustc --version\trustc gcc libc6-dev\t-"));
        }
    }

    [Test]
    public void ADefinitionThatWouldBreakTheFilesLinesIsRefused() =>
        Assert.That(() => RunnerImageLanguages.Render([new StubLanguage("stub", ".x")]), Throws.ArgumentException.With.Message.Contains("stub"));
}
