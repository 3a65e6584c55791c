using System.Text;

namespace WebIde.Execution.Checks;

/// <summary>
/// The file a check is about: recognises it among the paths a tool prints, and turns a tool's
/// positions into a sane <see cref="Diagnostic"/> (lines and columns at least 1 and within the text,
/// end not before start, columns in UTF-16 units).
/// </summary>
/// <param name="path">Relative to the project root, which is <c>/sandbox</c> in the sandbox.</param>
/// <param name="text">The file's text, if known; without it columns are taken as they come.</param>
public sealed class CheckedFile(string path, string? text)
{
    private const string SandboxRoot = "/sandbox/";

    private string[]? _lines;

    public string Path { get; } = path;

    public string? Text { get; } = text;

    private string[]? Lines => Text is null ? null : _lines ??= Text.Split('\n');

    /// <summary>Whether a path as a tool printed it (absolute, <c>./</c>-prefixed, or relative to <paramref name="relativeTo"/>) is this file.</summary>
    public bool Is(string reported, string relativeTo = "")
    {
        var path = reported.Trim();
        if (path.StartsWith("file://", StringComparison.Ordinal))
        {
            path = path["file://".Length..];
        }

        path = path.StartsWith(SandboxRoot, StringComparison.Ordinal) ? path[SandboxRoot.Length..] : relativeTo.Length == 0 ? path : $"{relativeTo}/{path}";
        return string.Equals(Normalize(path), Normalize(Path), StringComparison.Ordinal);
    }

    /// <summary>A point: widened to the identifier starting there, else to the one character there.</summary>
    public Diagnostic At(int line, int column, DiagnosticSeverity severity, string message) =>
        Range(line, column, line, column, severity, message);

    /// <summary>The whole line, for tools that report no column.</summary>
    public Diagnostic WholeLine(int line, DiagnosticSeverity severity, string message) =>
        Range(line, 1, line, (LineText(ClampLine(line))?.Length ?? 0) + 1, severity, message);

    /// <summary>A range with an exclusive end; an empty one is widened like <see cref="At"/>.</summary>
    public Diagnostic Range(int line, int column, int endLine, int endColumn, DiagnosticSeverity severity, string message)
    {
        line = ClampLine(line);
        column = ClampColumn(line, column);
        endLine = Math.Max(line, ClampLine(endLine));
        endColumn = ClampColumn(endLine, endLine == line ? Math.Max(column, endColumn) : endColumn);
        if (endLine == line && endColumn == column)
        {
            endColumn = TokenEnd(line, column);
        }

        return new Diagnostic(line, column, endLine, endColumn, severity, message.Trim());
    }

    /// <summary>A 1-based column counted in UTF-8 bytes (gcc, go) as UTF-16 units; one inside a character moves past it.</summary>
    public int ColumnFromUtf8(int line, int byteColumn) => ConvertColumn(line, byteColumn, rune => rune.Utf8SequenceLength);

    /// <summary>A 1-based column counted in Unicode code points (rustc, Python) as UTF-16 units.</summary>
    public int ColumnFromCodePoints(int line, int codePointColumn) => ConvertColumn(line, codePointColumn, _ => 1);

    private int ConvertColumn(int line, int column, Func<Rune, int> toolUnits)
    {
        if (LineText(line) is not { } text)
        {
            return column;
        }

        var (index, counted) = (0, 0);
        while (index < text.Length && counted < column - 1)
        {
            Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out var consumed);
            counted += toolUnits(rune);
            index += consumed;
        }

        // Past the end of the line, the remainder counts one unit per column (tools point just past the last character).
        return index + 1 + Math.Max(0, column - 1 - counted);
    }

    private string? LineText(int line) =>
        Lines is { } lines && line >= 1 && line <= lines.Length ? lines[line - 1].TrimEnd('\r') : null;

    private int ClampLine(int line) => Math.Clamp(line, 1, Lines?.Length ?? int.MaxValue);

    private int ClampColumn(int line, int column) => Math.Clamp(column, 1, LineText(line) is { } text ? text.Length + 1 : int.MaxValue);

    private int TokenEnd(int line, int column)
    {
        if (LineText(line) is not { } text)
        {
            return column + 1;
        }

        var index = column - 1;
        if (index >= text.Length)
        {
            return column;
        }

        if (!IsWordCharacter(text[index]))
        {
            return column + (char.IsSurrogatePair(text, index) ? 2 : 1);
        }

        while (index < text.Length && IsWordCharacter(text[index]))
        {
            index++;
        }

        return index + 1;
    }

    private static bool IsWordCharacter(char character) => char.IsLetterOrDigit(character) || character is '_' or '$';

    private static string Normalize(string path) =>
        string.Join('/', path.Replace('\\', '/').Split('/').Where(segment => segment is not ("" or ".")));
}
