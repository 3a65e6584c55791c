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

    // typescript-language-server over the npm typescript beside it (not Debian's 4.8 tsc, which runs use): 4.4 is the last
    // release that runs on bookworm's node 18.
    public override LanguageServer LanguageServer { get; } = new([LanguageServer.Npm("typescript-language-server"), "--stdio"], ["nodejs"]);

    public override IReadOnlyList<string> RunCommand(SourceProject project) => ["node", project.Entry, .. project.Args];

    public override CheckCommand CheckCommand(string path, IReadOnlyList<string> projectPaths) => NodeCheck.Command(path);
}
