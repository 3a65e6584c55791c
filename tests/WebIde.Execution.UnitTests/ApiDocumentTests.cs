using WebIde.Tests.Shared;

namespace WebIde.Execution.UnitTests;

public sealed class ApiDocumentTests() : ServiceApiDocumentTests(Extensions.ApiDocument, Extensions.AddApplicationServices, app => app.MapApplicationEndpoints())
{
    protected override IReadOnlyList<string> PublicPaths =>
    [
        "/api/languages",
        "/api/workspaces/{id}/runs",
        "/api/workspaces/{id}/check",
    ];

    // A WebSocket: docs/api.md §5 describes it, OpenAPI cannot.
    protected override IReadOnlyList<string> UnlistedPaths => ["/ws/exec/{id}"];

    protected override IReadOnlyList<(string Method, string Path, string ContentType)> DescribedBodies =>
    [
        ("POST", "/api/workspaces/{id}/runs", "application/json"),
        ("POST", "/api/workspaces/{id}/check", "application/json"),
    ];

    protected override void Configure(ServiceHostBuilder host)
    {
        host.Settings["Sandbox:RunnerImage"] = "webide-runner:3f2a9c";
        host.Settings["Sandbox:Installation"] = "/home/ada/webide/.data";
    }
}
