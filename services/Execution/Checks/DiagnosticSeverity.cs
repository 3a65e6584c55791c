namespace WebIde.Execution.Checks;

public enum DiagnosticSeverity
{
    Error,
    Warning,
}
