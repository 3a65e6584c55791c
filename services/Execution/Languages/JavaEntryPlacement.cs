namespace WebIde.Execution.Languages;

/// <summary>
/// Where a Java entry file goes for the compiler. javac refuses a public top-level class in a file of another name
/// ("class HelloWorld is public, should be declared in a file named HelloWorld.java"), and the most common paste
/// is exactly that: <c>public class HelloWorld</c> in the editor's Main.java. Such a file is given to the sandbox
/// under its public class's name, in the same folder, its content unchanged. Only the entry is moved: it is the
/// file a person ran, and moving others could swap two files' names.
/// </summary>
/// <remarks>
/// The compiler's messages and stack traces then name HelloWorld.java. A file that cannot move keeps its name and
/// meets javac's error: one of the new name is already in the project (or a folder of that name is).
/// </remarks>
public static class JavaEntryPlacement
{
    public static SourceProject Of(SourceProject project)
    {
        if (!project.Entry.EndsWith(".java", StringComparison.Ordinal)
            || project.Files.FirstOrDefault(file => file.Path == project.Entry) is not { } entry
            || JavaSource.Of(entry).PublicType is not { } type)
        {
            return project;
        }

        var slash = project.Entry.LastIndexOf('/');
        var placed = $"{project.Entry[..(slash + 1)]}{type.Name}.java";
        if (placed == project.Entry || project.Paths.Any(path => path == placed || path.StartsWith(placed + "/", StringComparison.Ordinal)))
        {
            return project;
        }

        return project with
        {
            Files = [.. project.Files.Select(file => file.Path == project.Entry ? file with { Path = placed } : file)],
            Entry = placed,
        };
    }
}
