using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using WebIde.Collaboration.Documents;
using WebIde.ServiceDefaults.Authentication;
using WebIde.ServiceDefaults.Authorization;

namespace WebIde.Collaboration.Sockets;

public static class CollabSocketApi
{
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Editors' sockets write through a <see cref="WriteCoalescingStream"/>. Before
    /// <c>UseWebSockets</c>, which takes the upgrade features as the request arrives.
    /// </summary>
    public static IApplicationBuilder UseCollabSocketWriteCoalescing(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // Not /ws/echo: it stays the benchmark's floor, a bare WebSocket.
            if (context.Request.Path.StartsWithSegments("/ws/collab"))
            {
                CoalescingUpgradeFeature.Install(context);
            }
            return next(context);
        });

    public static IEndpointRouteBuilder MapCollabSocket(this IEndpointRouteBuilder app)
    {
        app.Map("/ws/collab/{id}", AcceptAsync).RequireAuthorization();
        app.Map("/ws/echo", (Delegate)EchoSocket.AcceptAsync).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> AcceptAsync(
        string id,
        HttpContext context,
        DocumentHub hub,
        ConnectionRegistry registry,
        UserAllowances allowances,
        IWorkspaceRoles roles,
        MembershipWatcher watcher,
        IOptions<CollaborationOptions> options,
        CollaborationMetrics metrics,
        TimeProvider time)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request",
                detail: "This is a WebSocket endpoint: connect with a WebSocket upgrade.");
        }
        if (context.User.GetUserId() is not { } userId)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Editing needs a user's token.");
        }
        // A non-member learns nothing: the same answer as for a workspace that does not exist.
        var role = WorkspaceRole.None;
        if (!Guid.TryParse(id, out var workspaceId) || (role = await roles.GetRoleAsync(workspaceId, userId, context.RequestAborted)) == WorkspaceRole.None)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No such workspace.");
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = KeepAlive });
        // Refused after the upgrade, so a browser sees why (a refused upgrade is only a 1006 to it).
        if (!allowances.TryOpen(userId, out var allowance))
        {
            await socket.CloseOutputAsync((WebSocketCloseStatus)CollabConnection.TooManySockets,
                $"at most {options.Value.MaxSocketsPerUser} open sockets per user: close one", context.RequestAborted);
            return Results.Empty;
        }
        var username = context.User.FindFirst("name")?.Value ?? userId.ToString("D");
        var writes = context.Features.Get<CoalescingUpgradeFeature>()?.Stream;
        var connection = new CollabConnection(workspaceId, userId, username, context.User.FindFirst("sid")?.Value, options.Value.MaxQueuedBytes);
        registry.Add(connection);
        // Closed or made read-only within a second of a change of membership, even when its event is late.
        using var watch = watcher.Watch(workspaceId, userId, role, fresh => registry.ApplyRole(connection, fresh));
        metrics.Connected();
        try
        {
            await new CollabSocket(socket, writes, connection, allowance, hub, roles, options.Value, time)
                .ServeAsync(context.RequestAborted);
        }
        finally
        {
            allowance.Close();
            metrics.Disconnected();
            registry.Remove(connection);
        }
        return Results.Empty;
    }
}
