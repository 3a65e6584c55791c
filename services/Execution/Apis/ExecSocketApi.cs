using WebIde.Execution.Runs;

namespace WebIde.Execution.Apis;

public static class ExecSocketApi
{
    public static IEndpointRouteBuilder MapExecSocket(this IEndpointRouteBuilder app)
    {
        // A WebSocket, which OpenAPI cannot describe: docs/api.md §5 does.
        app.Map("/ws/exec/{id}", AcceptAsync).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> AcceptAsync(string id, HttpContext context, RunLauncher launcher, ILoggerFactory loggers)
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
        await session.ServeAsync(context.RequestAborted);
        return Results.Empty;
    }

}
