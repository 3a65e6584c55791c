using WebIde.Execution.Languages;

namespace WebIde.Execution.Checks;

/// <summary>
/// A language's checker (each definition names its own), run on the project written to <c>/sandbox</c>
/// (the working directory), writing anything it must under <c>/sandbox/.check</c>.
/// </summary>
public static class CheckCommands
{
    /// <param name="language">The language whose checker reads the file.</param>
    /// <param name="path">The file to check, relative to the project root.</param>
    /// <param name="projectPaths">Every file of the project, relative to its root; some checkers need the others to resolve references.</param>
    public static CheckCommand For(LanguageDefinition language, string path, IReadOnlyList<string> projectPaths)
    {
        ArgumentNullException.ThrowIfNull(language);
        ArgumentNullException.ThrowIfNull(projectPaths);
        if (string.IsNullOrWhiteSpace(path) || path.StartsWith('/') || path.Split('/').Contains(".."))
        {
            throw new ArgumentException($"'{path}' is not a path inside the project.", nameof(path));
        }

        return language.CheckCommand(path, projectPaths)
            ?? throw new ArgumentException($"There is no checker for '{language.Name}'.", nameof(language));
    }

    /// <summary>A project path as a command-line argument: one starting with a dash would be read as an option.</summary>
    internal static string Argument(string path) => path.StartsWith('-') ? $"./{path}" : path;

    internal static string DirectoryOf(string path) => path.LastIndexOf('/') is var slash and >= 0 ? path[..slash] : "";

    internal static string FileNameOf(string path) => path[(path.LastIndexOf('/') + 1)..];
}
