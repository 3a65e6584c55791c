using WebIde.Execution.Runs;

namespace WebIde.Execution.Languages;

/// <summary>What a language's commands are built from: the files, the one to start from and the program's arguments.</summary>
public sealed record SourceProject(IReadOnlyList<SourceFile> Files, string Entry, IReadOnlyList<string> Args)
{
    public IEnumerable<string> Paths => Files.Select(file => file.Path);

    public IEnumerable<string> PathsEndingWith(params string[] extensions) =>
        Paths.Where(path => extensions.Any(extension => path.EndsWith(extension, StringComparison.OrdinalIgnoreCase)));

    public bool Has(string path) => Files.Any(file => file.Path == path);
}
