using System.Globalization;
using System.Text.RegularExpressions;

namespace WebIde.Execution.Checks;

/// <summary>
/// <c>node --check</c>: it reports only the first syntax error, as <c>file:line</c>, the source line,
/// a caret line and <c>SyntaxError: message</c>. The caret line mirrors the source line's tabs and pads
/// with one space per UTF-16 unit (V8's columns), so the first caret's index is the column and the
/// carets' count the width.
/// </summary>
internal static partial class NodeCheck
{
    public static CheckCommand Command(string path) => new(["node", "--check", CheckCommands.Argument(path)], path, Parse);

    private static IEnumerable<Diagnostic> Parse(string output, CheckedFile file)
    {
        var lines = output.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            if (Header().Match(lines[index]) is not { Success: true } header || !file.Is(header.Groups["file"].Value))
            {
                continue;
            }

            var line = int.Parse(header.Groups["line"].Value, CultureInfo.InvariantCulture);
            var carets = index + 2 < lines.Length ? lines[index + 2] : "";
            var message = lines.Skip(index + 1).Select(text => ErrorLine().Match(text)).FirstOrDefault(match => match.Success) is { } error
                ? error.Groups["type"].Value == "SyntaxError" ? error.Groups["message"].Value : error.Value
                : "Syntax error";
            var caret = carets.IndexOf('^', StringComparison.Ordinal);
            yield return caret < 0
                ? file.At(line, 1, DiagnosticSeverity.Error, message)
                : file.Range(line, caret + 1, line, caret + 1 + carets[caret..].TrimEnd().Length, DiagnosticSeverity.Error, message);
        }
    }

    [GeneratedRegex(@"^(?<file>.+):(?<line>\d+)$")]
    private static partial Regex Header();

    [GeneratedRegex(@"^(?<type>\w*Error)(?: \[\w+\])?: (?<message>.*)$")]
    private static partial Regex ErrorLine();
}
