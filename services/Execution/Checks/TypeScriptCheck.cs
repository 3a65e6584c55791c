using System.Globalization;
using System.Text.RegularExpressions;

namespace WebIde.Execution.Checks;

/// <summary>
/// <c>tsc --noEmit</c> on the file (and what it imports) with the options of <c>tsc --init</c> that matter
/// here, ignoring any tsconfig.json. With <c>--pretty false</c> it prints <c>file(line,column): error TSnnnn:</c>
/// with UTF-16 columns and no end, so a diagnostic covers the token at its start; a message's further lines
/// follow indented.
/// </summary>
internal static partial class TypeScriptCheck
{
    public static CheckCommand Command(string path) =>
        new(["tsc", "--noEmit", "--pretty", "false", "--strict", "--target", "es2020", "--module", "commonjs", "--esModuleInterop",
            "--skipLibCheck", "--typeRoots", "/usr/share/nodejs/@types", "--types", "node", CheckCommands.Argument(path)], path, Parse);

    private static IEnumerable<Diagnostic> Parse(string output, CheckedFile file)
    {
        var lines = output.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            if (Header().Match(lines[index]) is not { Success: true } header || !file.Is(header.Groups["file"].Value))
            {
                continue;
            }

            var more = lines.Skip(index + 1).TakeWhile(line => line.StartsWith("  ", StringComparison.Ordinal)).Select(line => line.Trim());
            yield return file.At(
                int.Parse(header.Groups["line"].Value, CultureInfo.InvariantCulture),
                int.Parse(header.Groups["column"].Value, CultureInfo.InvariantCulture),
                header.Groups["severity"].Value == "warning" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
                string.Join('\n', more.Prepend(header.Groups["message"].Value)));
        }
    }

    [GeneratedRegex(@"^(?<file>.+)\((?<line>\d+),(?<column>\d+)\): (?<severity>error|warning) TS\d+: (?<message>.*)$")]
    private static partial Regex Header();
}
