using WebIde.Execution.Checks;

namespace WebIde.Execution.Languages.Definitions;

/// <summary>
/// The Go files of the entry's folder (<see cref="GoPackageFiles"/>) built as one package in GOPATH mode: no modules,
/// as there is no network to fetch them.
/// </summary>
public sealed class Go : LanguageDefinition
{
    public override string Name => "go";

    public override string DisplayName => "Go";

    public override IReadOnlyList<string> Extensions { get; } = [".go"];

    public override string EditorLanguage => "go";

    public override IReadOnlyList<string> ImagePackages { get; } = ["golang-go"];

    public override string VersionCommand => "go version";

    // GOPATH mode as runs build; gopls runs `go list`, which needs a writable build cache, and keeps a cache of its own
    // under the user cache directory (it exits when it cannot create it), so both go to /tmp.
    public override LanguageServer LanguageServer { get; } = new(["gopls"], ["gopls", "golang-go"], new Dictionary<string, string>
    {
        ["GO111MODULE"] = "off",
        ["GOPATH"] = "/tmp/go",
        ["GOCACHE"] = "/tmp/go-build",
        ["XDG_CACHE_HOME"] = "/tmp/.cache",
    });

    public override IReadOnlyDictionary<string, string> ExtraEnvironment { get; } = new Dictionary<string, string> { ["GO111MODULE"] = "off" };

    public override IReadOnlyList<string> CompileCommand(SourceProject project) =>
        ["go", "build", "-o", BuiltBinary, .. GoPackageFiles.Of(project.Entry, project.Paths, withTests: false).Select(CheckCommands.Argument)];

    public override IReadOnlyList<string> RunCommand(SourceProject project) => [BuiltBinary, .. project.Args];

    public override CheckCommand CheckCommand(string path, IReadOnlyList<string> projectPaths) => GoCheck.Command(path, projectPaths);
}
