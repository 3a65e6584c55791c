using Google.Protobuf;
using Grpc.Core;
using WebIde.Contracts.Execution.V1;
using WebIde.Execution.Runs;
using RunStatus = WebIde.Execution.Runs.RunStatus;
using SourceFile = WebIde.Execution.Runs.SourceFile;
using WireStatus = WebIde.Contracts.Execution.V1.RunStatus;

namespace WebIde.Execution.Grpc;

/// <summary>Between the wire messages of <c>webide.execution.v1</c> and the service's own run types.</summary>
public static class GrpcRunMapping
{
    public static RunSubmission ToSubmission(this RunRequest request) => new(
        request.Language,
        request.SourceCase == RunRequest.SourceOneofCase.Files ? ToFiles(request.Files) : null,
        request.SourceCase == RunRequest.SourceOneofCase.WorkspaceId ? ParseWorkspace(request.WorkspaceId) : null,
        request.Entry,
        request.Stdin.Memory,
        [.. request.Args],
        request.Limits?.TimeoutMs,
        request.Limits?.MemoryMb,
        request.Limits is { } limits ? (long)Math.Min(limits.MaxOutputBytes, long.MaxValue) : null);

    public static IReadOnlyList<SourceFile> ToFiles(Files files) =>
        [.. files.Files_.Select(file => new SourceFile(file.Path, file.Content.Memory))];

    public static Guid ParseWorkspace(string workspaceId) =>
        Guid.TryParse(workspaceId, out var id) ? id : throw new RpcException(new Status(StatusCode.InvalidArgument, "workspace_id is not a workspace id"));

    public static Contracts.Execution.V1.RunEvent ToWire(this Runs.RunEvent runEvent) => runEvent switch
    {
        RunStarted started => new() { Started = new Started { RunId = started.RunId.ToString("D"), Language = started.Language, Version = started.Version } },
        RunOutput { Stream: OutputStream.Stdout } output => new() { Stdout = UnsafeByteOperations.UnsafeWrap(output.Data) },
        RunOutput output => new() { Stderr = UnsafeByteOperations.UnsafeWrap(output.Data) },
        RunExited exited => new() { Exited = ToWire(exited.Result) },
        _ => throw new ArgumentOutOfRangeException(nameof(runEvent)),
    };

    private static Exited ToWire(RunResult result) => new()
    {
        Status = result.Status switch
        {
            RunStatus.Ok => WireStatus.Ok,
            RunStatus.RuntimeError => WireStatus.RuntimeError,
            RunStatus.CompileError => WireStatus.CompileError,
            RunStatus.Timeout => WireStatus.Timeout,
            RunStatus.MemoryLimit => WireStatus.MemoryLimit,
            RunStatus.OutputLimit => WireStatus.OutputLimit,
            RunStatus.Killed => WireStatus.Killed,
            _ => WireStatus.InternalError,
        },
        ExitCode = result.ExitCode,
        WallTimeMs = (ulong)Math.Max(0, result.WallTimeMs),
        CpuTimeMs = (ulong)Math.Max(0, result.CpuTimeMs),
        PeakMemoryBytes = (ulong)Math.Max(0, result.PeakMemoryBytes),
        OutputTruncated = result.OutputTruncated,
    };

    /// <summary>The statuses docs/api.md §5 gives a refused call.</summary>
    public static RpcException ToRpcException(this Exception exception) => exception switch
    {
        RunRequestException { Problem: RunRequestProblem.WorkspaceNotFound } refused => new RpcException(new Status(StatusCode.NotFound, refused.Message)),
        RunRequestException { Problem: RunRequestProblem.TooLarge } refused => new RpcException(new Status(StatusCode.InvalidArgument, refused.Message)),
        RunRequestException refused => new RpcException(new Status(StatusCode.InvalidArgument, refused.Message)),
        RunRefusedException busy => new RpcException(new Status(StatusCode.ResourceExhausted, busy.Message),
            new Metadata { { "retry-after", ((int)Math.Ceiling(busy.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture) } }),
        _ => throw new InvalidOperationException("not a refusal", exception),
    };
}
