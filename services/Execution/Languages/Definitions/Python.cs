using WebIde.Execution.Checks;

namespace WebIde.Execution.Languages.Definitions;

public sealed class Python : LanguageDefinition
{
    public override string Name => "python";

    public override string DisplayName => "Python";

    public override IReadOnlyList<string> Extensions { get; } = [".py"];

    public override string EditorLanguage => "python";

    public override IReadOnlyList<string> ImagePackages { get; } = ["python3"];

    public override string VersionCommand => "python3 --version";

    // pyright rather than Debian's python3-pylsp: pylsp without plugins reports no type errors (bench/lsp-servers).
    public override LanguageServer LanguageServer { get; } = new([LanguageServer.Npm("pyright-langserver"), "--stdio"], ["nodejs"]);

    public override IReadOnlyList<string> RunCommand(SourceProject project) => ["python3", project.Entry, .. project.Args];

    public override CheckCommand CheckCommand(string path, IReadOnlyList<string> projectPaths) => PythonCheck.Command(path);
}
