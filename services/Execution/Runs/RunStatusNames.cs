namespace WebIde.Execution.Runs;

public static class RunStatusNames
{
    /// <summary>The spelling of docs/api.md §5: <c>ok</c>, <c>runtime_error</c>, …</summary>
    public static string ToContractName(this RunStatus status) => status switch
    {
        RunStatus.Ok => "ok",
        RunStatus.RuntimeError => "runtime_error",
        RunStatus.CompileError => "compile_error",
        RunStatus.Timeout => "timeout",
        RunStatus.MemoryLimit => "memory_limit",
        RunStatus.OutputLimit => "output_limit",
        RunStatus.Killed => "killed",
        _ => "internal_error",
    };
}
