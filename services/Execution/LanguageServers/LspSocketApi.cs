using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using WebIde.Execution.Apis;
using WebIde.Execution.Languages;
using WebIde.Execution.Layout;
using WebIde.Execution.Runs;
using WebIde.Execution.Sandbox;
using WebIde.ServiceDefaults.Authentication;
using WebIde.ServiceDefaults.Authorization;

namespace WebIde.Execution.LanguageServers;

public static class LspSocketApi
{
    public static IEndpointRouteBuilder MapLanguageServerSocket(this IEndpointRouteBuilder app)
    {
        // A WebSocket, which OpenAPI cannot describe: docs/api.md §6 does. Anonymous at the endpoint: a
        // socket without a user is closed with 4001, as the contract says, not refused with a bare 401.
        app.Map("/ws/lsp/{id}/{language}", AcceptAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> AcceptAsync(
        string id,
        string language,
        HttpContext context,
        LanguageCatalog catalog,
        IWorkspaceRoles roles,
        MembershipWatcher watcher,
        LanguageServerSessions sessions,
        RunPlanner planner,
        SandboxFactory factory,
        IOptions<LanguageServerOptions> options,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return RunProblems.Invalid("This is a WebSocket endpoint: connect with a WebSocket upgrade.");
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.FromSeconds(15) });
        var logger = loggers.CreateLogger<LanguageServerSession>();
        var settings = options.Value;
        if (context.User.GetUserId() is not { } userId)
        {
            await RefuseAsync(socket, LspCloseCodes.BadToken, "a user's token is needed");
            return Results.Empty;
        }
        if (!Guid.TryParse(id, out var workspaceId) || catalog.Find(language) is not { LanguageServer: { } server } definition)
        {
            await RefuseAsync(socket, LspCloseCodes.NoServer, "no such workspace, or no language server for this language");
            return Results.Empty;
        }
        // Viewer or better. A workspace that does not exist gives no role either: the socket does not tell which ids exist.
        var role = await roles.GetRoleAsync(workspaceId, userId, context.RequestAborted);
        if (role == WorkspaceRole.None)
        {
            await RefuseAsync(socket, LspCloseCodes.NoRole, "no role in this workspace");
            return Results.Empty;
        }
        if (!sessions.TryReserve(userId))
        {
            await RefuseAsync(socket, LspCloseCodes.TooManyServers, $"at most {settings.MaxPerUser} language servers at once");
            return Results.Empty;
        }

        try
        {
            var key = new LanguageServerKey(userId, workspaceId, definition.Name);
            LanguageServerSandbox sandbox;
            try
            {
                sandbox = await StartAsync(key, definition, server, RunCallers.From(context), planner, factory, settings, context.RequestAborted);
            }
            catch (RunRequestException refused) when (refused.Problem == RunRequestProblem.WorkspaceNotFound)
            {
                await RefuseAsync(socket, LspCloseCodes.NoRole, "no role in this workspace");
                return Results.Empty;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "The {Language} language server of workspace {WorkspaceId} could not start", definition.Name, workspaceId);
                await RefuseAsync(socket, (int)WebSocketCloseStatus.InternalServerError, exception is RunRequestException ? exception.Message : "the language server could not start; try again shortly");
                return Results.Empty;
            }

            var session = new LanguageServerSession(socket, sandbox, key, server, settings, time, logger);
            sessions.Add(session);
            // Stopped within a second of losing the workspace, even when the event is late.
            using var watch = watcher.Watch(workspaceId, userId, role, fresh =>
                fresh == WorkspaceRole.None ? session.EndAsync(LspCloseCodes.NoRole, "no role in this workspace") : Task.CompletedTask);
            try
            {
                await session.ServeAsync(context.RequestAborted);
            }
            finally
            {
                sessions.Remove(session);
            }
        }
        finally
        {
            sessions.Release(userId);
        }
        return Results.Empty;
    }

    /// <summary>The server's container, with the workspace's files as the user may read them.</summary>
    private static async Task<LanguageServerSandbox> StartAsync(
        LanguageServerKey key, LanguageDefinition language, LanguageServer server, RunCaller caller, RunPlanner planner, SandboxFactory factory,
        LanguageServerOptions settings, CancellationToken cancellationToken)
    {
        var memoryBytes = settings.MemoryMb * (1L << 20);
        var files = await planner.FilesAsync(planner.Source(null, key.WorkspaceId, memoryBytes, "serve"), caller, cancellationToken);
        var environment = language.StepEnvironment(server.Environment);
        // Node (pyright, typescript-language-server and its tsserver, bash-language-server) sizes its heap from the
        // machine's memory, not the container's: it would grow until the kernel kills it. Half the limit each leaves
        // room for a server and its helper process; the other servers ignore the variable.
        environment["NODE_OPTIONS"] = $"--max-old-space-size={settings.MemoryMb / 2}";
        var step = new SandboxStep("language-server", server.Command, environment, (long)settings.MaxSession.TotalMilliseconds,
            MaxOutputBytes: long.MaxValue, ForwardOutput: true, Stdin: true, ReadOnlyProject: true);
        var request = new LanguageServerRequest(caller.CallerId, key.WorkspaceId, language.Name, memoryBytes, settings.Cpus, settings.MaxSession + TimeSpan.FromMinutes(5),
            [.. files.Select(file => new SandboxFile(file.Path, file.Content))], SandboxLayout.Directories, step);
        return await LanguageServerSandbox.StartAsync(factory, request, cancellationToken);
    }

    private static async Task RefuseAsync(WebSocket socket, int code, string reason)
    {
        try
        {
            // A close frame's reason holds at most 123 bytes.
            await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason.Length <= 60 ? reason : reason[..60], CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // The client left first.
        }
    }
}
