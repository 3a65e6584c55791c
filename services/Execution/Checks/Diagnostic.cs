namespace WebIde.Execution.Checks;

/// <summary>
/// One finding of a checker, in the editor's (Monaco's) coordinates: lines and columns are 1-based,
/// columns count UTF-16 code units, and the end is exclusive (<c>EndColumn</c> is the column just after
/// the last marked character), so a one-character range has <c>EndColumn == Column + 1</c>.
/// </summary>
public sealed record Diagnostic(int Line, int Column, int EndLine, int EndColumn, DiagnosticSeverity Severity, string Message);
