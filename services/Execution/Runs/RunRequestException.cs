namespace WebIde.Execution.Runs;

/// <summary>A run request that cannot be run as asked: 400 / INVALID_ARGUMENT, 404 / NOT_FOUND for an unseen workspace, 413 for a project too big.</summary>
public sealed class RunRequestException(RunRequestProblem problem, string message) : Exception(message)
{
    public RunRequestProblem Problem => problem;
}
