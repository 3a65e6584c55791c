using WebIde.Execution.Runs;

namespace WebIde.Execution.Languages;

/// <summary>What a language's commands are built from: the files, the one to start from and the program's arguments.</summary>
public sealed record SourceProject(IReadOnlyList<SourceFile> Files, string Entry, IReadOnlyList<string> Args)
{
    public IEnumerable<string> PathsEndingWith(params string[] extensions) =>
        Files.Select(file => file.Path).Where(path => extensions.Any(extension => path.EndsWith(extension, StringComparison.OrdinalIgnoreCase)));

    public string EntryDirectory => System.IO.Path.GetDirectoryName(Entry) is { Length: > 0 } directory ? directory : ".";

    public bool Has(string path) => Files.Any(file => file.Path == path);
}
