using WebIde.Tests.Shared;

namespace WebIde.FileSystem.UnitTests;

public sealed class ApiDocumentTests() : ServiceApiDocumentTests("filesystem", Extensions.AddApplicationServices, app => app.MapApplicationEndpoints())
{
    protected override IReadOnlyList<string> PublicPaths =>
    [
        "/api/workspaces/{id}/tree",
        "/api/workspaces/{id}/files/{path}",
        "/api/workspaces/{id}/directories/{path}",
        "/api/workspaces/{id}/move",
        "/api/workspaces/{id}/events",
    ];

    protected override IReadOnlyDictionary<string, string> DescribedBodies => new Dictionary<string, string>
    {
        ["PUT /api/workspaces/{id}/files/{path}"] = "application/octet-stream",
        ["POST /api/workspaces/{id}/move"] = "application/json",
    };

    protected override IReadOnlyDictionary<string, (HttpMethod Method, string Path)> BodyRequests => new Dictionary<string, (HttpMethod, string)>
    {
        ["PUT files"] = (HttpMethod.Put, "/api/workspaces/0f8fad5b-d9cb-469f-a165-70867728950e/files/notes.txt"),
        ["POST move"] = (HttpMethod.Post, "/api/workspaces/0f8fad5b-d9cb-469f-a165-70867728950e/move"),
    };
}
