using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using WebIde.Execution.Languages;

namespace WebIde.Execution.Checks;

/// <summary>
/// The file's package, the Go files of its folder as a run builds them (<see cref="GoPackageFiles"/>, here with the
/// folder's tests), is built (<c>go build -gcflags=-e</c>, to /dev/null, which leaves the tests out) and, only if
/// that passes, vetted (<c>go vet -json</c>, tests included): vet stops at the first type error, the compiler lists
/// them all. Compiler errors are <c>file:line:column: message</c> lines, errors; vet's findings come as JSON,
/// warnings. Columns are UTF-8 bytes. Inside a module (a go.mod in the file's directory or above) the commands run
/// in the module's directory, the files named relative to it; otherwise in GOPATH mode from the project root. No
/// network: GOPROXY=off.
/// </summary>
internal static partial class GoCheck
{
    // "$1" the directory to run in, "$2" GO111MODULE, the rest the package's files.
    internal const string Script = """
        set -e
        mkdir -p /sandbox/.tmp
        cd "$1"
        export GO111MODULE="$2" GOTMPDIR=/sandbox/.tmp GOPROXY=off
        shift 2
        go build -gcflags=-e -o /dev/null "$@"
        go vet -json "$@"
        """;

    public static CheckCommand Command(string path, IReadOnlyList<string> projectPaths)
    {
        var directory = CheckCommands.DirectoryOf(path);
        var module = Ancestors(directory).FirstOrDefault(candidate => projectPaths.Contains(candidate.Length == 0 ? "go.mod" : $"{candidate}/go.mod"));
        var workDirectory = module ?? "";
        var files = GoPackageFiles.Of(path, projectPaths, withTests: true)
            .Select(file => CheckCommands.Argument(workDirectory.Length == 0 ? file : file[(workDirectory.Length + 1)..]));
        return new(
            ["bash", "-c", Script, "go-check", workDirectory.Length == 0 ? "." : workDirectory, module is null ? "off" : "on", .. files],
            path,
            (output, file) => Parse(output, file, workDirectory));
    }

    private static IEnumerable<string> Ancestors(string directory)
    {
        for (var current = directory; ; current = CheckCommands.DirectoryOf(current))
        {
            yield return current;
            if (current.Length == 0)
            {
                yield break;
            }
        }
    }

    private static IEnumerable<Diagnostic> Parse(string output, CheckedFile file, string workDirectory)
    {
        var lines = output.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            if (lines[index] == "{")
            {
                var end = Array.IndexOf(lines, "}", index);
                if (end < 0)
                {
                    yield break;
                }

                foreach (var finding in Findings(string.Join('\n', lines[index..(end + 1)]), file, workDirectory))
                {
                    yield return finding;
                }

                index = end;
            }
            else if (Position().Match(lines[index]) is { Success: true } error && file.Is(error.Groups["file"].Value, workDirectory))
            {
                yield return Located(file, error, DiagnosticSeverity.Error, error.Groups["message"].Value);
            }
        }
    }

    // {"package": {"analyzer": [{"posn": "file:line:column", "message": "..."}]}}; an analyzer that failed has {"error": "..."} instead.
    private static IEnumerable<Diagnostic> Findings(string json, CheckedFile file, string workDirectory)
    {
        using var document = JsonDocument.Parse(json);
        var found = new List<Diagnostic>();
        foreach (var analyzer in document.RootElement.EnumerateObject().SelectMany(package => package.Value.EnumerateObject()))
        {
            if (analyzer.Value.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var finding in analyzer.Value.EnumerateArray())
            {
                var position = Position().Match($"{finding.GetProperty("posn").GetString()}: ");
                if (position.Success && file.Is(position.Groups["file"].Value, workDirectory))
                {
                    found.Add(Located(file, position, DiagnosticSeverity.Warning, finding.GetProperty("message").GetString() ?? ""));
                }
            }
        }

        return found;
    }

    private static Diagnostic Located(CheckedFile file, Match position, DiagnosticSeverity severity, string message)
    {
        var line = int.Parse(position.Groups["line"].Value, CultureInfo.InvariantCulture);
        return position.Groups["column"].Success
            ? file.At(line, file.ColumnFromUtf8(line, int.Parse(position.Groups["column"].Value, CultureInfo.InvariantCulture)), severity, message)
            : file.WholeLine(line, severity, message);
    }

    // "vet: " prefixes the type error vet stops at, for a _test.go file that the build does not compile.
    [GeneratedRegex(@"^(?:vet: )?(?<file>[^\s:][^:]*\.go):(?<line>\d+)(?::(?<column>\d+))?: (?<message>.*)$")]
    private static partial Regex Position();
}
