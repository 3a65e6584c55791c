using Microsoft.Extensions.DependencyInjection;
using WebIde.Contracts.Identity.V1;
using IdentityAuthorization = WebIde.Contracts.Identity.V1.Authorization;
using WebIde.ServiceDefaults.ServiceTokens;

namespace WebIde.ServiceDefaults.Authorization;

public static class WorkspaceRoleExtensions
{
    /// <summary>Users' roles in workspaces, asked of identity with this service's own token.</summary>
    public static IServiceCollection AddWorkspaceRoles(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddGrpcClient<IdentityAuthorization.AuthorizationClient>(client => client.Address = new Uri("http://_grpc.identity"))
            .AddServiceToken();
        services.AddSingleton<IWorkspaceRoles, WorkspaceRoles>();
        return services;
    }
}
