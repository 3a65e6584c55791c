using System.Globalization;
using System.Text.RegularExpressions;

namespace WebIde.Execution.Checks;

/// <summary>
/// <c>bash -n</c>: <c>file: line N: message</c>, no column, so the whole line is marked. It stops at the first
/// syntax error, which it follows with the offending line quoted (<c>file: line N: `text'</c>), skipped here.
/// Its only warning is an unterminated here-document.
/// </summary>
internal static partial class BashCheck
{
    public static CheckCommand Command(string path) => new(["bash", "-n", CheckCommands.Argument(path)], path, Parse);

    private static IEnumerable<Diagnostic> Parse(string output, CheckedFile file)
    {
        var previousLine = 0;
        foreach (var match in output.Split('\n').Select(line => Line().Match(line)).Where(match => match.Success && file.Is(match.Groups["file"].Value)))
        {
            var line = int.Parse(match.Groups["line"].Value, CultureInfo.InvariantCulture);
            var message = match.Groups["message"].Value;
            if (line == previousLine && message.StartsWith('`') && message.EndsWith('\''))
            {
                continue;
            }

            previousLine = line;
            yield return message.StartsWith("warning: ", StringComparison.Ordinal)
                ? file.WholeLine(line, DiagnosticSeverity.Warning, message["warning: ".Length..])
                : file.WholeLine(line, DiagnosticSeverity.Error, message);
        }
    }

    [GeneratedRegex(@"^(?<file>.+?): line (?<line>\d+): (?<message>.*)$")]
    private static partial Regex Line();
}
