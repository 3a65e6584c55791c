using WebIde.Execution.Checks;

namespace WebIde.Execution.Languages.Definitions;

/// <summary>Every .c file of the project compiled into one binary.</summary>
public sealed class C : LanguageDefinition
{
    public override string Name => "c";

    public override string DisplayName => "C (GCC)";

    public override IReadOnlyList<string> Extensions { get; } = [".c"];

    public override string EditorLanguage => "c";

    // gcc only recommends libc6-dev, which has the headers and crt files.
    public override IReadOnlyList<string> ImagePackages { get; } = ["gcc", "libc6-dev"];

    public override string VersionCommand => "gcc -dumpfullversion";

    public override LanguageServer LanguageServer { get; } = new(["clangd"], ["clangd"]);

    public override IReadOnlyList<string> CompileCommand(SourceProject project) =>
        ["gcc", "-std=gnu17", "-O2", "-pipe", "-o", BuiltBinary, .. project.PathsEndingWith(".c"), "-lm"];

    public override IReadOnlyList<string> RunCommand(SourceProject project) => [BuiltBinary, .. project.Args];

    public override CheckCommand CheckCommand(string path, IReadOnlyList<string> projectPaths) => GccCheck.Command("gcc", path, projectPaths);
}
