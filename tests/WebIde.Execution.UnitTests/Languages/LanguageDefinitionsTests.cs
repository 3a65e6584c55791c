using System.Text.Json.Nodes;
using WebIde.Execution.Languages;

namespace WebIde.Execution.UnitTests.Languages;

/// <summary>What each definition must say for every part of the platform that reads it (docs/platform.md, "Languages").</summary>
public sealed class LanguageDefinitionsTests
{
    private static readonly LanguageCatalog Catalog = new();

    private static IEnumerable<TestCaseData> Languages =>
        Catalog.All.Select(language => new TestCaseData(language).SetArgDisplayNames(language.Name));

    private static IEnumerable<TestCaseData> LanguagesWithServers =>
        Catalog.All.Where(language => language.LanguageServer is not null).Select(language => new TestCaseData(language).SetArgDisplayNames(language.Name));

    [Test]
    public void EveryCatalogLanguageHasAChecker() =>
        Assert.That(Catalog.All.Where(language => language.CheckCommand("f", ["f"]) is null).Select(language => language.Name), Is.Empty,
            "these languages name no checker (LanguageDefinition.CheckCommand)");

    [Test]
    public void EveryDefinitionIsInTheCatalog()
    {
        var defined = typeof(LanguageDefinition).Assembly.GetTypes()
            .Where(type => type.IsSubclassOf(typeof(LanguageDefinition)) && !type.IsAbstract);

        Assert.That(Catalog.All.Select(language => language.GetType()), Is.EquivalentTo(defined), "list each definition in LanguageCatalog's constructor");
    }

    [TestCaseSource(nameof(Languages))]
    public void SaysWhatTheApisTheEditorAndTheImageNeed(LanguageDefinition language)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(language.Name, Does.Match("^[a-z][a-z0-9]*$"), "a name as docs/api.md §5 spells them: lower case, no spaces");
            Assert.That(language.DisplayName, Is.Not.Empty);
            Assert.That(language.EditorLanguage, Does.Match("^[a-z]+$"), "a Monaco language id");
            Assert.That(language.Extensions, Is.Not.Empty.And.All.Match(@"^\.[a-z0-9]+$"));
            Assert.That(language.ImagePackages, Is.Not.Empty.And.All.Match("^[a-z0-9][a-z0-9+.-]+$"), "Debian package names");
            Assert.That(language.VersionCommand, Is.Not.Empty);
            Assert.That(language.RunCommand(new SourceProject([], "main" + language.Extensions[0], [])), Is.Not.Empty);
        }
    }

    [TestCase("python", "Python", "python")]
    [TestCase("javascript", "JavaScript (Node.js)", "javascript")]
    [TestCase("typescript", "TypeScript", "typescript")]
    [TestCase("c", "C (GCC)", "c")]
    [TestCase("cpp", "C++ (G++)", "cpp")]
    [TestCase("java", "Java (OpenJDK)", "java")]
    [TestCase("go", "Go", "go")]
    [TestCase("rust", "Rust", "rust")]
    [TestCase("bash", "Bash", "shell")]
    public void IsListedUnderItsDisplayNameAndColouredByItsEditorLanguage(string name, string displayName, string editorLanguage)
    {
        var language = Catalog.Find(name)!;

        Assert.That((language.DisplayName, language.EditorLanguage), Is.EqualTo((displayName, editorLanguage)));
    }

    [Test]
    public void JavaAndRustAloneHaveNoLanguageServer() =>
        // The runner image has no server for them (jdtls and rust-analyzer are not in bookworm).
        Assert.That(Catalog.All.Where(language => language.LanguageServer is null).Select(language => language.Name), Is.EqualTo(new[] { "java", "rust" }));

    [TestCaseSource(nameof(LanguagesWithServers))]
    public void ALanguageServerSaysHowItStartsAndWhatTheImageNeeds(LanguageDefinition language)
    {
        var server = language.LanguageServer!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(server.Command, Is.Not.Empty.And.All.Not.Empty);
            Assert.That(server.ImagePackages, Is.Not.Empty.And.All.Match("^[a-z0-9][a-z0-9+.-]+$"), "Debian package names");
            Assert.That(server.InitializationOptions is null || JsonNode.Parse(server.InitializationOptions) is JsonObject, Is.True, "initializationOptions: a JSON object");
        }
    }

    [Test]
    public void TheCatalogRefusesTwoLanguagesOfOneName() =>
        Assert.That(() => new LanguageCatalog([new StubLanguage("x", ".a"), new StubLanguage("x", ".b")]),
            Throws.ArgumentException.With.Message.Contains("'x'"));

    [Test]
    public void TheCatalogRefusesAnExtensionOfTwoLanguages() =>
        Assert.That(() => new LanguageCatalog([new StubLanguage("x", ".a"), new StubLanguage("y", ".A")]),
            Throws.ArgumentException.With.Message.Contains(".A"));
}
