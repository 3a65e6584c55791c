using WebIde.Tests.Shared;

namespace WebIde.Identity.UnitTests;

public sealed class ApiDocumentTests() : ServiceApiDocumentTests(Extensions.ApiDocument, Extensions.AddApplicationServices, app => app.MapApplicationEndpoints())
{
    protected override IReadOnlyList<string> PublicPaths =>
    [
        "/api/auth/register",
        "/api/auth/login",
        "/api/auth/refresh",
        "/api/auth/logout",
        "/api/auth/me",
        "/api/auth/jwks",
        "/api/auth/ticket",
        "/api/workspaces",
        "/api/workspaces/{id}",
        "/api/workspaces/{id}/members/{username}",
    ];

    // Service to service only: the gateway forwards /api and nothing else.
    protected override IReadOnlyList<string> UnlistedPaths => ["/connect/token", "/.well-known/openid-configuration"];
}
