using Grpc.Core;

namespace WebIde.IntegrationTests.Execution;

/// <summary>
/// How a run's call was refused, and what it streamed before the refusal: nothing, when the
/// refusal came before anything ran (no <c>started</c>, no sandbox, no output).
/// </summary>
public sealed record GrpcRefusal(RpcException Error, GrpcRun Before)
{
    public StatusCode Status => Error.StatusCode;

    public override string ToString() => $"{Error.StatusCode} \"{Error.Status.Detail}\" after [{Before}]";
}
