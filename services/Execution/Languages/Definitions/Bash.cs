using WebIde.Execution.Checks;

namespace WebIde.Execution.Languages.Definitions;

public sealed class Bash : LanguageDefinition
{
    public override string Name => "bash";

    public override string DisplayName => "Bash";

    public override IReadOnlyList<string> Extensions { get; } = [".sh", ".bash"];

    public override string EditorLanguage => "shell";

    // Essential in Debian already; listed so that the image does not depend on that.
    public override IReadOnlyList<string> ImagePackages { get; } = ["bash"];

    public override string VersionCommand => "bash --version";

    // bash-language-server runs shellcheck (found on PATH) for its diagnostics.
    public override LanguageServer LanguageServer { get; } = new([LanguageServer.Npm("bash-language-server"), "start"], ["nodejs", "shellcheck"]);

    public override IReadOnlyList<string> RunCommand(SourceProject project) => ["bash", project.Entry, .. project.Args];

    public override CheckCommand CheckCommand(string path, IReadOnlyList<string> projectPaths) => BashCheck.Command(path);
}
