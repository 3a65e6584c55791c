using System.Text.Json;

namespace WebIde.Execution.Checks;

/// <summary>
/// <c>python3 -c</c> with a script that runs <c>compile()</c> — the compiler <c>py_compile</c> uses, which
/// also finds what parsing alone misses (<c>return</c> outside a function) — and prints the SyntaxError's
/// range and the compile-time warnings as JSON lines. Columns are code points. Python stops at the first
/// error; warnings carry no column, so they mark the whole line.
/// </summary>
internal static class PythonCheck
{
    // -I keeps the project's own modules (a json.py, say) from shadowing the standard library the script imports.
    // The source is read as text through tokenize.open (coding cookie, BOM): given bytes, Python 3.11 reports
    // some offsets in bytes instead of characters.
    internal const string Script = """
        import json, sys, tokenize, warnings
        path = sys.argv[1]
        def report(severity, message, line=None, column=None, end_line=None, end_column=None):
            print(json.dumps({"severity": severity, "message": message, "line": line, "column": column, "endLine": end_line, "endColumn": end_column}))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                with tokenize.open(path) as source:
                    compile(source.read(), path, "exec", dont_inherit=True)
            except SyntaxError as error:
                kind = "" if type(error) is SyntaxError else type(error).__name__ + ": "
                report("error", kind + str(error.msg), error.lineno, error.offset, error.end_lineno, error.end_offset)
            except Exception as error:
                report("error", f"{type(error).__name__}: {error}")
        for warning in caught:
            if warning.filename == path:
                report("warning", str(warning.message), warning.lineno)
        """;

    public static CheckCommand Command(string path) => new(["python3", "-I", "-c", Script, CheckCommands.Argument(path)], path, Parse);

    private static IEnumerable<Diagnostic> Parse(string output, CheckedFile file)
    {
        foreach (var line in output.Split('\n').Where(line => line.StartsWith('{')))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var severity = root.GetProperty("severity").GetString() == "warning" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error;
            var message = root.GetProperty("message").GetString() ?? "";
            var start = Number(root, "line") ?? 1;
            if (Number(root, "column") is not { } column)
            {
                yield return file.WholeLine(start, severity, message);
                continue;
            }

            // Python leaves the end unknown as None, 0 or -1; the range then widens from the start.
            var end = Number(root, "endLine") ?? start;
            var endColumn = Number(root, "endColumn") is { } value and > 0 ? value : column;
            yield return file.Range(start, file.ColumnFromCodePoints(start, column), end, file.ColumnFromCodePoints(end, endColumn), severity, message);
        }
    }

    private static int? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;
}
