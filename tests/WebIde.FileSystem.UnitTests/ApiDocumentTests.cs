using WebIde.Tests.Shared;

namespace WebIde.FileSystem.UnitTests;

public sealed class ApiDocumentTests() : ServiceApiDocumentTests(Extensions.ApiDocument, Extensions.AddApplicationServices, app => app.MapApplicationEndpoints())
{
    protected override IReadOnlyList<string> PublicPaths =>
    [
        "/api/workspaces/{id}/tree",
        "/api/workspaces/{id}/usage",
        "/api/workspaces/{id}/files/{path}",
        "/api/workspaces/{id}/directories/{path}",
        "/api/workspaces/{id}/move",
        "/api/workspaces/{id}/events",
    ];

    protected override IReadOnlyList<(string Method, string Path, string ContentType)> DescribedBodies =>
    [
        ("PUT", "/api/workspaces/{id}/files/{path}", "application/octet-stream"),
        ("POST", "/api/workspaces/{id}/move", "application/json"),
    ];
}
