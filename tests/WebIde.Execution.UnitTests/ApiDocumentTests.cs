using WebIde.Tests.Shared;

namespace WebIde.Execution.UnitTests;

public sealed class ApiDocumentTests() : ServiceApiDocumentTests("execution", Extensions.AddApplicationServices, app => app.MapApplicationEndpoints())
{
    protected override IReadOnlyList<string> PublicPaths =>
    [
        "/api/languages",
        "/api/workspaces/{id}/runs",
        "/api/workspaces/{id}/check",
    ];

    // A WebSocket: docs/api.md §5 describes it, OpenAPI cannot.
    protected override IReadOnlyList<string> UnlistedPaths => ["/ws/exec/{id}"];

    protected override IReadOnlyDictionary<string, string> DescribedBodies => new Dictionary<string, string>
    {
        ["POST /api/workspaces/{id}/runs"] = "application/json",
        ["POST /api/workspaces/{id}/check"] = "application/json",
    };

    protected override IReadOnlyDictionary<string, (HttpMethod Method, string Path)> BodyRequests => new Dictionary<string, (HttpMethod, string)>
    {
        ["POST runs"] = (HttpMethod.Post, "/api/workspaces/0f8fad5b-d9cb-469f-a165-70867728950e/runs"),
        ["POST check"] = (HttpMethod.Post, "/api/workspaces/0f8fad5b-d9cb-469f-a165-70867728950e/check"),
    };

    protected override void Configure(ServiceHostBuilder host)
    {
        host.Settings["Sandbox:RunnerImage"] = "webide-runner:3f2a9c";
        host.Settings["Sandbox:Installation"] = "/home/ada/webide/.data";
    }
}
