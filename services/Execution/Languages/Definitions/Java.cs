using WebIde.Execution.Checks;
using WebIde.Execution.Layout;

namespace WebIde.Execution.Languages.Definitions;

/// <summary>
/// Every .java file compiled into the build directory, the entry under its public class's name
/// (<see cref="JavaEntryPlacement"/>); the entry file's class with main (<see cref="JavaMainClass"/>), in its
/// package, is started.
/// </summary>
public sealed class Java : LanguageDefinition
{
    // A short-lived program on a small machine: one GC thread, the quick JIT tier, no perf file, CDS when available.
    private static readonly string[] JvmFlags = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xshare:auto"];

    public override string Name => "java";

    public override string DisplayName => "Java (OpenJDK)";

    public override IReadOnlyList<string> Extensions { get; } = [".java"];

    public override string EditorLanguage => "java";

    public override IReadOnlyList<string> ImagePackages { get; } = ["default-jdk-headless"];

    public override string VersionCommand => "javac -version";

    public override SourceProject PlaceForToolchain(SourceProject project) => JavaEntryPlacement.Of(project);

    public override IReadOnlyList<string> CompileCommand(SourceProject project) =>
        ["javac", .. JvmFlags.Select(flag => "-J" + flag), "-encoding", "UTF-8", "-d", SandboxLayout.Build, .. project.PathsEndingWith(".java")];

    public override IReadOnlyList<string> RunCommand(SourceProject project) =>
        ["java", .. JvmFlags, "-cp", SandboxLayout.Build, JavaMainClass.Of(project), .. project.Args];

    public override CheckCommand CheckCommand(string path, IReadOnlyList<string> projectPaths) => JavacCheck.Command(path, projectPaths);
}
