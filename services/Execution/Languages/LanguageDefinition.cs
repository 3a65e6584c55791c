using WebIde.Execution.Checks;
using WebIde.Execution.Layout;

namespace WebIde.Execution.Languages;

/// <summary>
/// Everything the platform knows about one language, in one type per language (Languages/Definitions):
/// how it is listed, which files select it, how a project builds and starts, how a file is checked,
/// what the runner image needs for it and how the image reports its version. Commands run with
/// /sandbox (the project root) as working directory. Adding a language: docs/platform.md, "Languages".
/// </summary>
public abstract class LanguageDefinition
{
    /// <summary>Where a compiled language puts the program it builds.</summary>
    protected const string BuiltBinary = SandboxLayout.BuildAbsolute + "/main";

    /// <summary>The name in docs/api.md §5 and in every API: <c>python</c>, <c>cpp</c>, …</summary>
    public abstract string Name { get; }

    /// <summary>What a person reads in a list of languages.</summary>
    public abstract string DisplayName { get; }

    /// <summary>The extensions (with the dot) of the files that select the language when none is named.</summary>
    public abstract IReadOnlyList<string> Extensions { get; }

    /// <summary>The Monaco language id that colours its files in the editor.</summary>
    public abstract string EditorLanguage { get; }

    /// <summary>The Debian packages the runner image installs for it (deploy/runner/languages.txt is made from these).</summary>
    public abstract IReadOnlyList<string> ImagePackages { get; }

    /// <summary>The command, run in the image as it is built, whose first line of output names the toolchain's version.</summary>
    public abstract string VersionCommand { get; }

    /// <summary>The language server that serves its files over docs/api.md §6, or null while it has none.</summary>
    public virtual LanguageServer? LanguageServer => null;

    /// <summary>Environment its compile and run steps get on top of the sandbox's own.</summary>
    public virtual IReadOnlyDictionary<string, string>? ExtraEnvironment => null;

    /// <summary>A step's whole environment: the sandbox's, the language's, then <paramref name="extra"/> (a server's own) over them.</summary>
    public Dictionary<string, string> StepEnvironment(IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>(SandboxLayout.Environment, StringComparer.Ordinal);
        foreach (var (name, value) in (ExtraEnvironment ?? new Dictionary<string, string>()).Concat(extra ?? new Dictionary<string, string>()))
        {
            environment[name] = value;
        }
        return environment;
    }

    /// <summary>
    /// The project with its files where the language's toolchain needs them, for a run and a check alike (the entry is
    /// the checked file then); most languages take them as they are. Called before any command is built from it.
    /// </summary>
    public virtual SourceProject PlaceForToolchain(SourceProject project) => project;

    /// <summary>The command that builds the project, or null for a language that runs its sources.</summary>
    public virtual IReadOnlyList<string>? CompileCommand(SourceProject project) => null;

    /// <summary>The command that starts the project, built or not, with its arguments.</summary>
    public abstract IReadOnlyList<string> RunCommand(SourceProject project);

    /// <summary>
    /// The checker of one file (Checks/ holds each checker's command and output parser), or null for a
    /// language without one. Called through <see cref="CheckCommands.For"/>, which checks the path first.
    /// </summary>
    /// <param name="path">The file to check, relative to the project root and known to be inside it.</param>
    /// <param name="projectPaths">Every file of the project; some checkers need the others to resolve references.</param>
    public virtual CheckCommand? CheckCommand(string path, IReadOnlyList<string> projectPaths) => null;

    public bool Compiled => CompileCommand(new SourceProject([], "main", [])) is not null;

    public override string ToString() => Name;
}
