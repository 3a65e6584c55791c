using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using WebIde.Contracts.Identity.V1;
using WebIde.ServiceDefaults.ServiceTokens;
using IdentityAuthorization = WebIde.Contracts.Identity.V1.Authorization;

namespace WebIde.ServiceDefaults.Authorization;

public static class WorkspaceRoleExtensions
{
    /// <summary>
    /// Users' roles in workspaces, asked of identity with this service's own token, and the
    /// <see cref="MembershipWatcher"/> that re-checks them for long-lived connections.
    /// </summary>
    public static IServiceCollection AddWorkspaceRoles(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddServiceGrpcClient<IdentityAuthorization.AuthorizationClient>("identity")
            .AddServiceToken();
        services.AddSingleton<IWorkspaceRoles, WorkspaceRoles>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MembershipWatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<MembershipWatcher>());
        return services;
    }
}
