using WebIde.Execution.Checks;

namespace WebIde.Execution.Languages.Definitions;

public sealed class JavaScript : LanguageDefinition
{
    public override string Name => "javascript";

    public override string DisplayName => "JavaScript (Node.js)";

    public override IReadOnlyList<string> Extensions { get; } = [".js", ".mjs", ".cjs"];

    public override string EditorLanguage => "javascript";

    public override IReadOnlyList<string> ImagePackages { get; } = ["nodejs"];

    public override string VersionCommand => "node --version";

    // tsserver serves JavaScript too.
    public override LanguageServer LanguageServer => TypeScript.Server;

    public override IReadOnlyList<string> RunCommand(SourceProject project) => ["node", project.Entry, .. project.Args];

    public override CheckCommand CheckCommand(string path, IReadOnlyList<string> projectPaths) => NodeCheck.Command(path);
}
