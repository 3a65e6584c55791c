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

    // The flags of runs and checks, from deploy/runner/language-servers/clangd/cpp/compile_flags.txt as a project has no
    // compilation database (clangd 14 would parse it as gnu++14, where <optional> and the like are empty); preambles in
    // memory, as that of <bits/stdc++.h> outgrows an 8 MiB /tmp and clangd aborts; on stderr only errors, not a line per
    // request.
    public override LanguageServer LanguageServer { get; } = new(
        ["clangd", $"--compile-commands-dir={LanguageServer.Files("clangd/cpp")}", "--pch-storage=memory", "--log=error"], ["clangd"]);

    public override IReadOnlyList<string> CompileCommand(SourceProject project) =>
        ["g++", "-std=gnu++17", "-O2", "-pipe", "-o", BuiltBinary, .. project.PathsEndingWith([.. Extensions])];

    public override IReadOnlyList<string> RunCommand(SourceProject project) => [BuiltBinary, .. project.Args];

    public override CheckCommand CheckCommand(string path, IReadOnlyList<string> projectPaths) => GccCheck.Command("g++", path, projectPaths);
}
