using System.Text.Json;

namespace WebIde.Execution.Checks;

/// <summary>
/// <c>gcc</c>/<c>g++ -fsyntax-only -Wall -Wextra -fdiagnostics-format=json</c>: a JSON array of diagnostics
/// whose first location is the primary one, with a caret and optionally a start and an inclusive finish.
/// Its <c>column</c> is a display column (an emoji counts two), so <c>byte-column</c>, UTF-8 bytes, is read instead.
/// Every project directory holding headers is an <c>-iquote</c> directory, so <c>#include "x.h"</c> finds them.
/// </summary>
internal static class GccCheck
{
    private static readonly string[] HeaderExtensions = [".h", ".hh", ".hpp", ".hxx", ".inc"];

    public static CheckCommand Command(string compiler, string path, IReadOnlyList<string> projectPaths)
    {
        var headerDirectories = projectPaths
            .Where(file => HeaderExtensions.Any(extension => file.EndsWith(extension, StringComparison.OrdinalIgnoreCase)))
            .Select(file => CheckCommands.DirectoryOf(file) is { Length: > 0 } directory ? CheckCommands.Argument(directory) : ".")
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .SelectMany(directory => new[] { "-iquote", directory });
        return new([compiler, "-fsyntax-only", "-Wall", "-Wextra", "-fdiagnostics-format=json", .. headerDirectories, CheckCommands.Argument(path)], path, Parse);
    }

    private static IEnumerable<Diagnostic> Parse(string output, CheckedFile file)
    {
        foreach (var line in output.Split('\n').Where(line => line.StartsWith('[')))
        {
            using var json = JsonDocument.Parse(line);
            foreach (var diagnostic in json.RootElement.EnumerateArray())
            {
                var kind = diagnostic.GetProperty("kind").GetString() ?? "error";
                var message = diagnostic.GetProperty("message").GetString() ?? "";
                // Checking a header on its own makes it the main file, which only the check itself is to blame for.
                if (kind == "note" || message == "#pragma once in main file"
                    || !diagnostic.TryGetProperty("locations", out var locations) || locations.GetArrayLength() == 0)
                {
                    continue;
                }

                var location = locations[0];
                var caret = location.GetProperty("caret");
                if (!file.Is(caret.GetProperty("file").GetString() ?? ""))
                {
                    continue;
                }

                var start = location.TryGetProperty("start", out var first) ? first : caret;
                var finish = location.TryGetProperty("finish", out var last) ? last : caret;
                var (line1, line2) = (start.GetProperty("line").GetInt32(), finish.GetProperty("line").GetInt32());
                yield return file.Range(
                    line1, file.ColumnFromUtf8(line1, ByteColumn(start)),
                    line2, file.ColumnFromUtf8(line2, ByteColumn(finish) + 1),
                    kind.Contains("warning", StringComparison.Ordinal) ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
                    message);
            }
        }
    }

    private static int ByteColumn(JsonElement position) =>
        (position.TryGetProperty("byte-column", out var column) ? column : position.GetProperty("column")).GetInt32();
}
