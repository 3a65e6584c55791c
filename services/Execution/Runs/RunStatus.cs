namespace WebIde.Execution.Runs;

public enum RunStatus
{
    Ok,
    RuntimeError,
    CompileError,
    Timeout,
    MemoryLimit,
    OutputLimit,
    Killed,
    InternalError,
}
