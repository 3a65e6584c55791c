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

    // The flags of runs and checks, from deploy/runner/language-servers/clangd/c/compile_flags.txt as a project has no
    // compilation database; preambles in memory, as a large one outgrows an 8 MiB /tmp and clangd aborts; on stderr only
    // errors, not a line per request.
    public override LanguageServer LanguageServer { get; } = new(
        ["clangd", $"--compile-commands-dir={LanguageServer.Files("clangd/c")}", "--pch-storage=memory", "--log=error"], ["clangd"]);

    public override IReadOnlyList<string> CompileCommand(SourceProject project) =>
        ["gcc", "-std=gnu17", "-O2", "-pipe", "-o", BuiltBinary, .. project.PathsEndingWith(".c"), "-lm"];

    public override IReadOnlyList<string> RunCommand(SourceProject project) => [BuiltBinary, .. project.Args];

    public override CheckCommand CheckCommand(string path, IReadOnlyList<string> projectPaths) => GccCheck.Command("gcc", path, projectPaths);
}
