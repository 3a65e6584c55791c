namespace WebIde.Execution.Checks;

/// <summary>
/// The checker for each language: its own compiler or checker, run on the project written to
/// <c>/sandbox</c> (the working directory), writing anything it must under <c>/sandbox/.check</c>.
/// </summary>
public static class CheckCommands
{
    public static IReadOnlySet<string> Languages { get; } =
        new HashSet<string>(["python", "javascript", "typescript", "c", "cpp", "java", "go", "rust", "bash"], StringComparer.Ordinal);

    /// <param name="language">One of <see cref="Languages"/>.</param>
    /// <param name="path">The file to check, relative to the project root.</param>
    /// <param name="projectPaths">Every file of the project, relative to its root; some checkers need the others to resolve references.</param>
    public static CheckCommand For(string language, string path, IReadOnlyList<string> projectPaths)
    {
        ArgumentNullException.ThrowIfNull(projectPaths);
        if (string.IsNullOrWhiteSpace(path) || path.StartsWith('/') || path.Split('/').Contains(".."))
        {
            throw new ArgumentException($"'{path}' is not a path inside the project.", nameof(path));
        }

        return language switch
        {
            "python" => PythonCheck.Command(path),
            "javascript" => NodeCheck.Command(path),
            "typescript" => TypeScriptCheck.Command(path),
            "c" => GccCheck.Command("gcc", path, projectPaths),
            "cpp" => GccCheck.Command("g++", path, projectPaths),
            "java" => JavacCheck.Command(path, projectPaths),
            "go" => GoCheck.Command(path, projectPaths),
            "rust" => RustcCheck.Command(path, projectPaths),
            "bash" => BashCheck.Command(path),
            _ => throw new ArgumentException($"There is no checker for '{language}'.", nameof(language)),
        };
    }

    /// <summary>A project path as a command-line argument: one starting with a dash would be read as an option.</summary>
    internal static string Argument(string path) => path.StartsWith('-') ? $"./{path}" : path;

    internal static string DirectoryOf(string path) => path.LastIndexOf('/') is var slash and >= 0 ? path[..slash] : "";

    internal static string FileNameOf(string path) => path[(path.LastIndexOf('/') + 1)..];
}
