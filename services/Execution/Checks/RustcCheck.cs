using System.Text.Json;

namespace WebIde.Execution.Checks;

/// <summary>
/// <c>rustc --emit=metadata --error-format=json</c> on the crate the file belongs to: a main.rs or lib.rs in its
/// directory or above (lib.rs first), else the file itself (and always for files under a bin directory).
/// Each output line is a JSON diagnostic whose primary span gives the range, columns counted in code points,
/// end exclusive; a span inside a macro's expansion is followed out to where the macro was used.
/// A file that no <c>mod</c> of that crate reaches gets no diagnostics. Edition 2021; the crate name is fixed because file names like <c>my-app.rs</c> are not crate names.
/// </summary>
internal static class RustcCheck
{
    public static CheckCommand Command(string path, IReadOnlyList<string> projectPaths)
    {
        var root = CrateRoot(path, projectPaths);
        var crateType = CheckCommands.FileNameOf(root) == "lib.rs" ? "lib" : "bin";
        return new(
            ["rustc", "--edition", "2021", "--crate-type", crateType, "--crate-name", "check", "--emit=metadata", "--error-format=json",
                "--out-dir", "/sandbox/.check/rust", CheckCommands.Argument(root)],
            path,
            Parse);
    }

    private static string CrateRoot(string path, IReadOnlyList<string> projectPaths)
    {
        var directory = CheckCommands.DirectoryOf(path);
        if (CheckCommands.FileNameOf(path) is "main.rs" or "lib.rs" || CheckCommands.FileNameOf(directory) == "bin")
        {
            return path;
        }

        for (var current = directory; ; current = CheckCommands.DirectoryOf(current))
        {
            var prefix = current.Length == 0 ? "" : $"{current}/";
            if (new[] { $"{prefix}lib.rs", $"{prefix}main.rs" }.FirstOrDefault(projectPaths.Contains) is { } root)
            {
                return root;
            }

            if (current.Length == 0)
            {
                return path;
            }
        }
    }

    private static IEnumerable<Diagnostic> Parse(string output, CheckedFile file)
    {
        foreach (var line in output.Split('\n').Where(line => line.StartsWith('{')))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var level = root.GetProperty("level").GetString() ?? "";
            if (!level.StartsWith("error", StringComparison.Ordinal) && level != "warning")
            {
                continue;
            }

            var span = root.GetProperty("spans").EnumerateArray()
                .Where(candidate => candidate.GetProperty("is_primary").GetBoolean())
                .Select(candidate => InFile(candidate, file))
                .FirstOrDefault(candidate => candidate.ValueKind == JsonValueKind.Object);
            if (span.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var (start, end) = (span.GetProperty("line_start").GetInt32(), span.GetProperty("line_end").GetInt32());
            var message = root.GetProperty("message").GetString() ?? "";
            // The label says what is wrong at the span ("expected `i32`, found `&str`") unless it only repeats the message.
            if (span.TryGetProperty("label", out var label) && label.GetString() is { Length: > 0 } text && !message.Contains(text, StringComparison.Ordinal))
            {
                message = $"{message}\n{text}";
            }

            yield return file.Range(
                start, file.ColumnFromCodePoints(start, span.GetProperty("column_start").GetInt32()),
                end, file.ColumnFromCodePoints(end, span.GetProperty("column_end").GetInt32()),
                level == "warning" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
                message);
        }
    }

    private static JsonElement InFile(JsonElement span, CheckedFile file)
    {
        while (!file.Is(span.GetProperty("file_name").GetString() ?? ""))
        {
            if (!span.TryGetProperty("expansion", out var expansion) || expansion.ValueKind != JsonValueKind.Object)
            {
                return default;
            }

            span = expansion.GetProperty("span");
        }

        return span;
    }
}
