namespace WebIde.Execution.Checks;

/// <summary>
/// What to run in the sandbox (working directory <c>/sandbox</c>, the project written there) to check one
/// file, and how to read what it prints.
/// </summary>
/// <remarks>
/// <see cref="Parse"/> wants the checked file's text as well as the output: gcc and go count columns in
/// UTF-8 bytes, rustc and Python in code points, and only the text says how many UTF-16 units those are.
/// Without the text, columns are passed through unconverted (right for ASCII lines) and ranges are not
/// widened to the token at a reported point.
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
