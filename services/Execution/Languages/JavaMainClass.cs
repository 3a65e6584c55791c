namespace WebIde.Execution.Languages;

/// <summary>
/// The class <c>java</c> starts, inside the package the entry file declares: the entry file's top-level class that
/// declares <c>public static void main(</c>. Of several, the public one (what a pasted program names as its own, e.g.
/// <c>public class HelloWorld</c> in Main.java), else the one named like the file, else the first: a file whose
/// only class with main is <c>class Foo</c> is still a program. With none, the file's name, as before: java's error
/// then says which class has no main method.
/// </summary>
public static class JavaMainClass
{
    public static string Of(SourceProject project)
    {
        var name = Path.GetFileNameWithoutExtension(project.Entry);
        if (project.Files.FirstOrDefault(file => file.Path == project.Entry) is not { } entry)
        {
            return name;
        }

        var source = JavaSource.Of(entry);
        var started = source.TopLevelTypes
            .Where(type => type.HasMain)
            .OrderBy(type => type.IsPublic ? 0 : type.Name == name ? 1 : 2)
            .FirstOrDefault()?.Name ?? name;
        return source.Package is { } package ? $"{package}.{started}" : started;
    }
}
