namespace WebIde.Execution.Runs;

public enum RunRequestProblem
{
    Invalid,
    WorkspaceNotFound,
    TooLarge,
}
