namespace WebIde.Execution.Apis;

/// <summary>One diagnostic, 1-based, columns in UTF-16 code units as editors count; severity <c>error</c> or <c>warning</c>.</summary>
public sealed record DiagnosticResponse(int Line, int Column, int EndLine, int EndColumn, string Severity, string Message);
