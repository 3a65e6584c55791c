using WebIde.Execution.Languages;

namespace WebIde.Execution.UnitTests.Languages;

/// <summary>A language that runs nothing and has no checker: for what the catalog and the checks do with the unusual.</summary>
internal sealed class StubLanguage(string name, params string[] extensions) : LanguageDefinition
{
    public override string Name => name;

    public override string DisplayName => name;

    public override IReadOnlyList<string> Extensions => extensions;

    public override string EditorLanguage => "plaintext";

    public override IReadOnlyList<string> ImagePackages { get; } = [];

    public override string VersionCommand => "true";

    public override IReadOnlyList<string> RunCommand(SourceProject project) => ["true"];
}
