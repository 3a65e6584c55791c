using Docker.DotNet;
using Microsoft.Extensions.Options;
using WebIde.Execution.Events;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformServices(bus => bus.AddConsumer<WorkspaceDeletedConsumer>());
        builder.AddDefaultAuthentication();

        builder.Services.AddOptions<SandboxOptions>()
            .Bind(builder.Configuration.GetSection(SandboxOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IDockerClient>(services =>
        {
            var options = services.GetRequiredService<IOptions<SandboxOptions>>().Value;
            // No API version is asked for: Debian's engine (API 1.41) refuses newer ones instead of negotiating down.
            return new DockerClientConfiguration(new Uri(options.DockerEndpoint)).CreateClient();
        });
        builder.Services.AddSingleton<SandboxContainers>();
        builder.Services.AddHealthChecks().AddCheck<DockerHealthCheck>("docker", tags: ["ready"]);

        builder.Services.AddGrpc();
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks();
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
