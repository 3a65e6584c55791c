namespace WebIde.Contracts.Events;

/// <summary>
/// Published by execution when a run has ended, whatever its status. <see cref="CallerId"/> is
/// the user's id, or <c>service:&lt;name&gt;</c> for a service caller; <see cref="Source"/> is
/// <c>rest</c>, <c>websocket</c> or <c>grpc</c>. Times and memory are the run step's.
/// </summary>
public sealed record ExecutionCompleted(
    Guid RunId,
    string CallerId,
    Guid? WorkspaceId,
    string Language,
    string Status,
    int ExitCode,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    long WallTimeMs,
    long CpuTimeMs,
    long PeakMemoryBytes,
    bool OutputTruncated,
    string Source);
