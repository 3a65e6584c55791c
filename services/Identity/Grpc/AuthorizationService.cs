using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using WebIde.Contracts.Identity.V1;
using WebIde.Identity.Storage;
using WebIde.Identity.Workspaces;
using WebIde.ServiceDefaults.Authentication;

namespace WebIde.Identity.Grpc;

/// <summary>
/// What a user may do in a workspace, for the other services. A service token needs the
/// <c>members:read</c> scope; a user's own token may only ask about that user, or anyone could
/// map who belongs where.
/// </summary>
[Authorize]
public sealed class AuthorizationService(IRoleCache roles) : Authorization.AuthorizationBase
{
    public override async Task<AuthorizeResponse> Authorize(AuthorizeRequest request, ServerCallContext context)
    {
        if (!Guid.TryParse(request.WorkspaceId, out var workspaceId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "workspace_id is not a UUID."));
        }
        if (!Guid.TryParse(request.UserId, out var userId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "user_id is not a UUID."));
        }

        var caller = context.GetHttpContext().User;
        caller.DemandServiceScope(ServiceScopes.MembersRead);
        if (!caller.IsService() && caller.GetUserId() != userId)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "A user's token may only ask about that user."));
        }

        var role = await roles.GetRoleAsync(workspaceId, userId, context.CancellationToken);
        return new AuthorizeResponse { Role = ToMessage(role) };
    }

    private static Role ToMessage(WorkspaceRole? role) => role switch
    {
        WorkspaceRole.Owner => Role.Owner,
        WorkspaceRole.Editor => Role.Editor,
        WorkspaceRole.Viewer => Role.Viewer,
        _ => Role.None,
    };
}
