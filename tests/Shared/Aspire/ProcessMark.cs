namespace WebIde.Tests.Shared.Aspire;

/// <summary>
/// A resource's process as a test saw it just before restarting or killing it: the pid the
/// orchestrator reported, and when the test looked (for messages only, never compared with
/// the orchestrator's times).
/// </summary>
public sealed record ProcessMark(string Resource, int Pid, DateTime TakenAtUtc)
{
    public override string ToString() => $"{Resource} (pid {Pid} at {TakenAtUtc:HH:mm:ss.fff} UTC)";
}
