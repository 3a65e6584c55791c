namespace WebIde.Execution.Languages;

/// <summary>
/// A contract language: the extensions that select it and the commands that build and start a
/// project, run with /sandbox (the project root) as working directory.
/// </summary>
public sealed record LanguageDefinition(
    string Name,
    IReadOnlyList<string> Extensions,
    Func<SourceProject, IReadOnlyList<string>?> CompileCommand,
    Func<SourceProject, IReadOnlyList<string>> RunCommand,
    IReadOnlyDictionary<string, string>? ExtraEnvironment = null)
{
    public bool Compiled => CompileCommand(new SourceProject([], "main", [])) is not null;
}
