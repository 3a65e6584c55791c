using System.Globalization;
using System.Text.RegularExpressions;

namespace WebIde.Execution.Checks;

/// <summary>
/// <c>javac</c> on every .java file of the project, so that references between them resolve, classes going to
/// <c>/sandbox/.check/java</c>. Each diagnostic is <c>file:line: error|warning: summary</c>, the source line, a
/// caret line, then the message's further lines indented. The caret line mirrors the source line's tabs and pads
/// one space per Java char, so the caret's index is the UTF-16 column; there is no end, so the token there is marked.
/// </summary>
internal static partial class JavacCheck
{
    public static CheckCommand Command(string path, IReadOnlyList<string> projectPaths)
    {
        var sources = projectPaths.Where(file => file.EndsWith(".java", StringComparison.Ordinal)).Append(path)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(CheckCommands.Argument);
        // serial is left out: it asks every Exception subclass for a serialVersionUID.
        return new(["javac", "-d", "/sandbox/.check/java", "-encoding", "UTF-8", "-Xlint:all,-serial", "-proc:none", .. sources], path, Parse);
    }

    private static IEnumerable<Diagnostic> Parse(string output, CheckedFile file)
    {
        var lines = output.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            if (Header().Match(lines[index]) is not { Success: true } header || !file.Is(header.Groups["file"].Value))
            {
                continue;
            }

            var caret = index + 2 < lines.Length && CaretLine().IsMatch(lines[index + 2]) ? lines[index + 2].IndexOf('^', StringComparison.Ordinal) : -1;
            var more = lines.Skip(index + (caret < 0 ? 1 : 3)).TakeWhile(line => line.StartsWith("  ", StringComparison.Ordinal) && !Header().IsMatch(line));
            var line = int.Parse(header.Groups["line"].Value, CultureInfo.InvariantCulture);
            var severity = header.Groups["severity"].Value == "warning" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error;
            var message = string.Join('\n', more.Select(text => text.Trim()).Prepend(header.Groups["message"].Value));
            yield return caret < 0 ? file.WholeLine(line, severity, message) : file.At(line, caret + 1, severity, message);
        }
    }

    [GeneratedRegex(@"^(?<file>.+?\.java):(?<line>\d+): (?<severity>error|warning): (?<message>.*)$")]
    private static partial Regex Header();

    [GeneratedRegex(@"^[ \t]*\^\s*$")]
    private static partial Regex CaretLine();
}
