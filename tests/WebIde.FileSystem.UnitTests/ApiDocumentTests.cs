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
}
