namespace WebIde.Execution.Checks;

/// <summary>
/// What to run in the sandbox (working directory <c>/sandbox</c>, the project written there) to check one
/// file, and how to read what it prints.
/// </summary>
/// <remarks>
/// <see cref="Parse"/> wants the checked file's text as well as the output, because the tools count columns
/// differently and only the text says how many UTF-16 units (the editor's columns) a count is:
/// gcc/g++ (<c>byte-column</c>) and go count UTF-8 bytes; rustc and Python count code points; tsc counts UTF-16
/// units; node and javac give no column number but a caret line padded one space per UTF-16 unit; bash gives none.
/// Where a tool gives a point rather than a range (tsc, javac, go), the identifier or character there is marked,
/// and where it gives only a line (bash, Python's warnings), the line. Without the text, columns pass through
/// unconverted (right for ASCII lines) and a point marks one column.
/// </remarks>
/// <param name="Argv">The command, no shell involved unless its first element is one.</param>
/// <param name="Path">The checked file, relative to the project root, as given to <see cref="CheckCommands.For"/>.</param>
/// <param name="Parser">Reads the tool's output into diagnostics for <paramref name="Path"/> only.</param>
public sealed record CheckCommand(IReadOnlyList<string> Argv, string Path, Func<string, CheckedFile, IEnumerable<Diagnostic>> Parser)
{
    /// <param name="output">The checker's stdout and stderr, combined.</param>
    /// <param name="fileText">The checked file's text as the editor has it, if known.</param>
    public IReadOnlyList<Diagnostic> Parse(string output, string? fileText) =>
        [.. Parser(output.Replace("\r\n", "\n", StringComparison.Ordinal), new CheckedFile(Path, fileText))
            .Distinct()
            .OrderBy(diagnostic => diagnostic.Line)
            .ThenBy(diagnostic => diagnostic.Column)];
}
