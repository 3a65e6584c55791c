using WebIde.Execution.Checks;

namespace WebIde.Execution.Languages.Definitions;

/// <summary>Every C++ source of the project, whatever its extension, compiled into one binary.</summary>
public sealed class Cpp : LanguageDefinition
{
    public override string Name => "cpp";

    public override string DisplayName => "C++ (G++)";

    public override IReadOnlyList<string> Extensions { get; } = [".cpp", ".cc", ".cxx"];

    public override string EditorLanguage => "cpp";

    // g++ only recommends libc6-dev, which has the headers and crt files.
    public override IReadOnlyList<string> ImagePackages { get; } = ["g++", "libc6-dev"];

    public override string VersionCommand => "g++ -dumpfullversion";

    public override LanguageServer LanguageServer { get; } = new(["clangd"], ["clangd"]);

    public override IReadOnlyList<string> CompileCommand(SourceProject project) =>
        ["g++", "-std=gnu++17", "-O2", "-pipe", "-o", BuiltBinary, .. project.PathsEndingWith([.. Extensions])];

    public override IReadOnlyList<string> RunCommand(SourceProject project) => [BuiltBinary, .. project.Args];

    public override CheckCommand CheckCommand(string path, IReadOnlyList<string> projectPaths) => GccCheck.Command("g++", path, projectPaths);
}
