using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace WebIde.Execution.DockerGate;

/// <summary>
/// <c>WebIde.Execution docker-gate</c>: the execution service's privileged half, a process of its
/// own that alone holds the Docker socket. It listens on a Unix socket (<c>DockerGate:Socket</c>)
/// and lets through the calls the service makes and no other (docs/platform.md, "The Docker gate").
/// A small host: Kestrel and logging, none of the service's bus, stores or telemetry.
/// </summary>
public static class DockerGateHost
{
    public const string Command = "docker-gate";

    public static bool IsRequested(string[] args) => args is [Command, ..];

    public static async Task RunAsync(string[] args)
    {
        await using var app = Build(args);
        await StartAsync(app);
        await app.WaitForShutdownAsync();
    }

    /// <summary>The gate's host, not started: <see cref="StartAsync"/> starts it.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Services.AddOptions<DockerGateOptions>()
            .Bind(builder.Configuration.GetSection(DockerGateOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddMemoryCache(cache => cache.SizeLimit = 100_000);
        builder.Services.AddSingleton<DockerEngine>();
        builder.Services.AddSingleton<ContainerOwnership>();
        builder.Services.AddSingleton<ContainerCreatePolicy>();
        builder.Services.AddSingleton<ContainerListPolicy>();
        builder.Services.AddSingleton<DockerGateForwarder>();
        builder.Services.AddSingleton<HijackedAttach>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // The service's own endpoints (appsettings.json's Kestrel section) are not the gate's: the socket is all it listens on.
            kestrel.Configure(new ConfigurationBuilder().Build());
            var socket = SocketPath(builder.Configuration);
            // A socket left by a gate that did not end cleanly would fail the bind.
            File.Delete(socket);
            kestrel.ListenUnixSocket(socket, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                var attach = kestrel.ApplicationServices.GetRequiredService<HijackedAttach>();
                listen.Use(next => connection => attach.OnConnectionAsync(connection, next));
            });
        });

        var app = builder.Build();
        app.Run(app.Services.GetRequiredService<DockerGateForwarder>().HandleAsync);
        return app;
    }

    /// <summary>Starts the gate, then narrows its socket to its owner and group (and hands it on, if asked).</summary>
    public static async Task StartAsync(WebApplication app)
    {
        await app.StartAsync();
        var options = app.Services.GetRequiredService<IOptions<DockerGateOptions>>().Value;
        GateSocketPermissions.Apply(options.Socket, options.SocketOwner);
        app.Logger.LogInformation("Docker gate listening on {Socket}, forwarding to {DockerEndpoint} for installation {Installation}", options.Socket, options.DockerEndpoint, options.Installation);
    }

    private static string SocketPath(IConfiguration configuration) =>
        configuration[$"{DockerGateOptions.Section}:{nameof(DockerGateOptions.Socket)}"] is { Length: > 0 } socket
            ? socket
            : throw new InvalidOperationException("DockerGate:Socket is required: the Unix socket the gate listens on");
}
