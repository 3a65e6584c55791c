using WebIde.Execution.Checks;

namespace WebIde.Execution.Languages.Definitions;

/// <summary>The entry file compiled as the crate root; the files it names with <c>mod</c> come in through it.</summary>
public sealed class Rust : LanguageDefinition
{
    public override string Name => "rust";

    public override string DisplayName => "Rust";

    public override IReadOnlyList<string> Extensions { get; } = [".rs"];

    public override string EditorLanguage => "rust";

    // rustc links through gcc, which needs libc6-dev's crt files (no cargo: there is no network for crates).
    public override IReadOnlyList<string> ImagePackages { get; } = ["rustc", "gcc", "libc6-dev"];

    public override string VersionCommand => "rustc --version";

    public override IReadOnlyList<string> CompileCommand(SourceProject project) => ["rustc", "--edition", "2021", "-O", "-o", BuiltBinary, project.Entry];

    public override IReadOnlyList<string> RunCommand(SourceProject project) => [BuiltBinary, .. project.Args];

    public override CheckCommand CheckCommand(string path, IReadOnlyList<string> projectPaths) => RustcCheck.Command(path, projectPaths);
}
