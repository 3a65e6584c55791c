namespace WebIde.Execution.Runs;

public enum OutputStream
{
    Stdout,
    Stderr,
}
