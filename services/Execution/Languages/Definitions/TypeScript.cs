using WebIde.Execution.Checks;
using WebIde.Execution.Layout;

namespace WebIde.Execution.Languages.Definitions;

/// <summary>Compiled by <c>tsc</c> to CommonJS under the build directory, then run by node.</summary>
public sealed class TypeScript : LanguageDefinition
{
    public override string Name => "typescript";

    public override string DisplayName => "TypeScript";

    public override IReadOnlyList<string> Extensions { get; } = [".ts"];

    public override string EditorLanguage => "typescript";

    // node runs what tsc emits; node-typescript brings Node's type declarations (/usr/share/nodejs/@types).
    public override IReadOnlyList<string> ImagePackages { get; } = ["nodejs", "node-typescript"];

    public override string VersionCommand => "tsc --version";

    // The same server as JavaScript's: tsserver serves both.
    public override LanguageServer LanguageServer { get; } = new([LanguageServer.Npm("typescript-language-server"), "--stdio"], ["nodejs"]);

    public override IReadOnlyList<string> CompileCommand(SourceProject project) =>
        ["tsc", "--outDir", SandboxLayout.Build, "--rootDir", ".", "--module", "commonjs", "--target", "es2020",
            "--esModuleInterop", "--skipLibCheck", "--typeRoots", "/usr/share/nodejs/@types", "--types", "node", "--pretty", "false", project.Entry];

    public override IReadOnlyList<string> RunCommand(SourceProject project) =>
        ["node", $"{SandboxLayout.Build}/{Path.ChangeExtension(project.Entry, ".js")}", .. project.Args];

    public override CheckCommand CheckCommand(string path, IReadOnlyList<string> projectPaths) => TypeScriptCheck.Command(path);
}
