using System.Security.Claims;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace WebIde.ServiceDefaults.Authentication;

/// <summary>
/// The one rule every callee applies to service tokens: a service may do what its token's
/// scopes allow and nothing else. A user's token is not judged here (it goes on to the
/// callee's membership checks), and it never satisfies a scope, whatever claims it carries.
/// </summary>
public static class ServiceScopeExtensions
{
    /// <summary>Whether the caller is a service whose token carries <paramref name="scope"/>.</summary>
    public static bool HasServiceScope(this ClaimsPrincipal caller, string scope) =>
        caller.IsService()
        && caller.FindAll(ServiceScopes.ClaimType).Any(claim => ServiceScopes.Parse(claim.Value).Contains(scope));

    /// <summary>Whether the caller is a service whose token lacks <paramref name="scope"/>: the calls to refuse.</summary>
    public static bool LacksServiceScope(this ClaimsPrincipal caller, string scope) =>
        caller.IsService() && !caller.HasServiceScope(scope);

    /// <summary>For gRPC methods: <c>PERMISSION_DENIED</c>, naming the scope, for a service token without it.</summary>
    /// <exception cref="RpcException">The caller is a service without <paramref name="scope"/>.</exception>
    public static void DemandServiceScope(this ClaimsPrincipal caller, string scope)
    {
        if (caller.LacksServiceScope(scope))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, MissingScope(scope)));
        }
    }

    /// <summary>For HTTP endpoints (WebSocket upgrades too): 403 problem+json, naming the scope, for a service token without it.</summary>
    public static TBuilder RequireServiceScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) => context.HttpContext.User.LacksServiceScope(scope)
            ? TypedResults.Problem(title: "Forbidden", detail: MissingScope(scope), statusCode: StatusCodes.Status403Forbidden,
                extensions: new Dictionary<string, object?> { ["missingScope"] = scope })
            : await next(context));

    private static string MissingScope(string scope) => $"This service token lacks the '{scope}' scope.";
}
