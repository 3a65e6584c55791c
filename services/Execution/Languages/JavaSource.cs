using System.Text;
using System.Text.RegularExpressions;
using WebIde.Execution.Runs;

namespace WebIde.Execution.Languages;

/// <summary>
/// What the platform reads from a Java file without compiling it: the package it declares and its top-level types.
/// Read from the text with comments and literals blanked first, so that <c>// public class Old</c>, a Javadoc
/// example or a string holding <c>"class X { public static void main("</c> counts for nothing, and a brace inside
/// them does not throw the nesting off. A scan, not a parser: what javac would refuse may be read any way.
/// </summary>
public sealed partial record JavaSource(string? Package, IReadOnlyList<JavaTopLevelType> TopLevelTypes)
{
    private const string Identifier = @"[\p{L}_$][\p{L}\p{N}_$]*";

    public JavaTopLevelType? PublicType => TopLevelTypes.FirstOrDefault(type => type.IsPublic);

    public static JavaSource Of(SourceFile file) => Read(Encoding.UTF8.GetString(file.Content.Span));

    public static JavaSource Read(string text)
    {
        var code = WithoutCommentsAndLiterals(text);
        var package = PackageDeclaration().Match(code);
        // Java allows blanks around the dots (`package a . b;`); the class name has none.
        var name = package.Success ? string.Concat(package.Groups["name"].Value.Where(c => !char.IsWhiteSpace(c))) : null;
        return new JavaSource(name, TopLevelTypesIn(code));
    }

    /// <summary>
    /// The text with each comment and each string, character and text-block literal replaced by one space. Escapes
    /// (<c>\"</c>, <c>\'</c>, <c>\\</c>) stay inside their literal; one left open runs to the end of its line (a text
    /// block or comment to the end of the text). Unicode escapes (<c>\u0022</c>) are not decoded.
    /// </summary>
    internal static string WithoutCommentsAndLiterals(string text)
    {
        var code = new StringBuilder(text.Length);
        var index = 0;
        while (index < text.Length)
        {
            var end = text.AsSpan(index) switch
            {
                ['/', '/', ..] => LineEnd(text, index),
                ['/', '*', ..] => After(text, "*/", index + 2),
                ['"', '"', '"', ..] => TextBlockEnd(text, index + 3),
                ['"' or '\'', ..] => QuotedEnd(text, index + 1, text[index]),
                _ => -1,
            };
            if (end < 0)
            {
                code.Append(text[index++]);
                continue;
            }

            code.Append(' ');
            index = end;
        }

        return code.ToString();
    }

    private static IReadOnlyList<JavaTopLevelType> TopLevelTypesIn(string code)
    {
        var types = new List<JavaTopLevelType>();
        var position = 0;
        foreach (Match declaration in TypeDeclaration().Matches(code))
        {
            // A match inside a body already read (a nested type), or before its end, is not top-level.
            if (declaration.Index < position || Depth(code, position, declaration.Index) != 0)
            {
                continue;
            }

            var open = code.IndexOf('{', declaration.Index + declaration.Length);
            var close = open < 0 ? code.Length : ClosingBrace(code, open);
            var body = open < 0 ? "" : code[(open + 1)..close];
            types.Add(new JavaTopLevelType(
                declaration.Groups["name"].Value,
                HasModifier(declaration.Groups["modifiers"].Value, "public"),
                MainDeclaration().Matches(body).Any(main => IsPublicStatic(main.Groups["modifiers"].Value) && Depth(body, 0, main.Index) == 0)));
            position = Math.Min(close + 1, code.Length);
        }

        return types;
    }

    private static bool IsPublicStatic(string modifiers) => HasModifier(modifiers, "public") && HasModifier(modifiers, "static");

    private static bool HasModifier(string modifiers, string modifier) =>
        modifiers.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Contains(modifier, StringComparer.Ordinal);

    /// <summary>How many braces are open at <paramref name="end"/>, counting from <paramref name="start"/> at depth 0.</summary>
    private static int Depth(string code, int start, int end)
    {
        var depth = 0;
        for (var index = start; index < end; index++)
        {
            depth += code[index] switch { '{' => 1, '}' => -1, _ => 0 };
        }

        return depth;
    }

    /// <summary>The index of the brace that closes the one at <paramref name="open"/>, or the text's end when none does.</summary>
    private static int ClosingBrace(string code, int open)
    {
        var depth = 0;
        for (var index = open; index < code.Length; index++)
        {
            depth += code[index] switch { '{' => 1, '}' => -1, _ => 0 };
            if (depth == 0)
            {
                return index;
            }
        }

        return code.Length;
    }

    private static int LineEnd(string text, int index) => text.IndexOf('\n', index) is var newline and >= 0 ? newline : text.Length;

    private static int After(string text, string closing, int index) =>
        text.IndexOf(closing, index, StringComparison.Ordinal) is var found and >= 0 ? found + closing.Length : text.Length;

    private static int TextBlockEnd(string text, int index)
    {
        while (index < text.Length)
        {
            if (text[index] == '\\')
            {
                index += 2;
            }
            else if (text.AsSpan(index).StartsWith("\"\"\""))
            {
                return index + 3;
            }
            else
            {
                index++;
            }
        }

        return text.Length;
    }

    private static int QuotedEnd(string text, int index, char quote)
    {
        while (index < text.Length && text[index] != '\n')
        {
            if (text[index] == '\\')
            {
                index += 2;
            }
            else if (text[index++] == quote)
            {
                return index;
            }
        }

        return Math.Min(index, text.Length);
    }

    [GeneratedRegex(@"^\s*package\s+(?<name>" + Identifier + @"(\s*\.\s*" + Identifier + @")*)\s*;", RegexOptions.Multiline)]
    private static partial Regex PackageDeclaration();

    // Annotations before the modifiers are skipped by starting at the first modifier; `@interface` declares an annotation type.
    [GeneratedRegex(@"(?<![\p{L}\p{N}_$.@-])(?<modifiers>(?:(?:public|protected|private|abstract|static|final|sealed|non-sealed|strictfp)\s+)*)(?:class|interface|enum|record|@\s*interface)\s+(?<name>" + Identifier + ")")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"(?<![\p{L}\p{N}_$.])(?<modifiers>(?:(?:public|protected|private|static|final|synchronized|strictfp)\s+)*)void\s+main\s*\(")]
    private static partial Regex MainDeclaration();
}
