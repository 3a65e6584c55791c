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

    public override LanguageServer LanguageServer => Server;

    /// <summary>
    /// typescript-language-server over the npm typescript beside it (not Debian's 4.8 tsc, which runs use; 4.4 is the last
    /// release that runs on bookworm's node 18), for JavaScript too: tsserver serves both. Without a syntax server (a
    /// second tsserver of ~85 MiB that answers hover and definition without types until the project has loaded) and
    /// without typings acquisition (a node process of ~85 MiB more that would fetch @types with npm, which neither the image nor
    /// the network has): by default the four processes took ~440 MiB of a 512 MiB sandbox for a three-file project.
    /// </summary>
    internal static LanguageServer Server { get; } = new(
        [LanguageServer.Npm("typescript-language-server"), "--stdio"],
        ["nodejs"],
        InitializationOptions: """{"disableAutomaticTypingAcquisition":true,"tsserver":{"useSyntaxServer":"never"}}""");

    public override IReadOnlyList<string> CompileCommand(SourceProject project) =>
        ["tsc", "--outDir", SandboxLayout.Build, "--rootDir", ".", "--module", "commonjs", "--target", "es2020",
            "--esModuleInterop", "--skipLibCheck", "--typeRoots", "/usr/share/nodejs/@types", "--types", "node", "--pretty", "false", project.Entry];

    public override IReadOnlyList<string> RunCommand(SourceProject project) =>
        ["node", $"{SandboxLayout.Build}/{Path.ChangeExtension(project.Entry, ".js")}", .. project.Args];

    public override CheckCommand CheckCommand(string path, IReadOnlyList<string> projectPaths) => TypeScriptCheck.Command(path);
}
