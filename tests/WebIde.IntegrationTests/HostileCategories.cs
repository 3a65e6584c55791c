namespace WebIde.IntegrationTests;

/// <summary>
/// The hostile suite (issue 16; docs/security.md, "Hostile suite"): tests that act as an attacker
/// and assert both the contract's refusal (status and problem, gRPC status, or close code and error
/// frame; docs/api.md) and that nothing changed, read back afterwards. Each carries
/// <see cref="Suite"/> and the category of the one transport it attacks, so that
/// <c>--filter "Category=Hostile"</c> runs the suite and <c>HostileSuiteTests</c> counts it.
/// </summary>
public static class HostileCategories
{
    public const string Suite = "Hostile";

    /// <summary>REST calls and server-sent event streams.</summary>
    public const string Http = "Hostile.Http";

    /// <summary>A WebSocket endpoint: the upgrade refused (status before it opens), a frame refused (error frame), a socket closed (close code).</summary>
    public const string WebSocket = "Hostile.WebSocket";

    /// <summary>The gateway's execution gRPC API and the services' own gRPC endpoints.</summary>
    public const string Grpc = "Hostile.Grpc";

    /// <summary>Every transport category; each hostile case carries exactly one.</summary>
    public static readonly IReadOnlyList<string> Transports = [Http, WebSocket, Grpc];
}
