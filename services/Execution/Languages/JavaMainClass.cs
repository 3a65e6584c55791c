using System.Text;
using System.Text.RegularExpressions;

namespace WebIde.Execution.Languages;

/// <summary>The class <c>java</c> starts: the entry file's name, inside the package the file declares.</summary>
public static partial class JavaMainClass
{
    public static string Of(SourceProject project)
    {
        var name = Path.GetFileNameWithoutExtension(project.Entry);
        var entry = project.Files.FirstOrDefault(file => file.Path == project.Entry);
        if (entry is null)
        {
            return name;
        }

        var package = PackageDeclaration().Match(Encoding.UTF8.GetString(entry.Content.Span));
        // Java allows blanks around the dots (`package a . b;`); the class name has none.
        return package.Success ? $"{string.Concat(package.Groups["name"].Value.Where(c => !char.IsWhiteSpace(c)))}.{name}" : name;
    }

    [GeneratedRegex(@"^\s*package\s+(?<name>[\p{L}_$][\p{L}\p{N}_$]*(\s*\.\s*[\p{L}_$][\p{L}\p{N}_$]*)*)\s*;", RegexOptions.Multiline)]
    private static partial Regex PackageDeclaration();
}
