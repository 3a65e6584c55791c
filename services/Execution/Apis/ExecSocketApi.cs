using WebIde.Execution.Runs;
using WebIde.ServiceDefaults.Authentication;
using WebIde.ServiceDefaults.Authorization;

namespace WebIde.Execution.Apis;

public static class ExecSocketApi
{
    public static IEndpointRouteBuilder MapExecSocket(this IEndpointRouteBuilder app)
    {
        // A WebSocket, which OpenAPI cannot describe: docs/api.md §5 does.
        app.Map("/ws/exec/{id}", AcceptAsync).RequireAuthorization().RequireServiceScope(ServiceScopes.CodeRun).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> AcceptAsync(
        string id, HttpContext context, RunLauncher launcher, IWorkspaceRoles roles, MembershipWatcher watcher, ILoggerFactory loggers)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return RunProblems.Invalid("This is a WebSocket endpoint: connect with a WebSocket upgrade.");
        }
        if (!Guid.TryParse(id, out var workspaceId))
        {
            return RunProblems.WorkspaceNotFound();
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.FromSeconds(15) });
        var session = new ExecSocket(socket, RunCallers.From(context), workspaceId, launcher, loggers.CreateLogger<ExecSocket>());

        // A member removed (or a workspace deleted) while the socket is open loses it and its run
        // within a second, even when the event is late. A caller without a role has nothing to lose:
        // every run it asks for is refused.
        using var lostAccess = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        using var watch = context.User.GetUserId() is { } userId
            && await roles.GetRoleAsync(workspaceId, userId, context.RequestAborted) is var role and not WorkspaceRole.None
            ? watcher.Watch(workspaceId, userId, role, fresh => fresh == WorkspaceRole.None ? lostAccess.CancelAsync() : Task.CompletedTask)
            : null;
        await session.ServeAsync(lostAccess.Token);
        return Results.Empty;
    }

}
