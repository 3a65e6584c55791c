namespace WebIde.Execution.Runs;

/// <summary>Too many runs: 429 with Retry-After over REST, RESOURCE_EXHAUSTED over gRPC.</summary>
public sealed class RunRefusedException(string message, TimeSpan retryAfter) : Exception(message)
{
    public TimeSpan RetryAfter => retryAfter;
}
