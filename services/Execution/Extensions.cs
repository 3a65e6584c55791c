using Docker.DotNet;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Options;
using WebIde.Contracts.FileSystem.V1;
using WebIde.Execution.Apis;
using WebIde.Execution.Checks;
using WebIde.Execution.Events;
using WebIde.Execution.Grpc;
using WebIde.Execution.Languages;
using WebIde.Execution.LanguageServers;
using WebIde.Execution.Runs;
using WebIde.Execution.Sandbox;
using WebIde.ServiceDefaults.Authorization;
using WebIde.ServiceDefaults.OpenApi;
using WebIde.ServiceDefaults.ServiceTokens;

namespace WebIde.Execution;

public static class Extensions
{
    /// <summary>The OpenAPI document's name: it is served at <c>/openapi/execution.json</c> (docs/api.md §0).</summary>
    public const string ApiDocument = "execution";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformServices(bus =>
        {
            bus.AddConsumer<WorkspaceDeletedConsumer>();
            // Each instance kills its own runs of a deleted workspace, so each hears the event on a
            // queue of its own (gone with the instance) instead of competing for one delivery.
            bus.AddConsumer<WorkspaceRunsConsumer>().OnInstanceQueue();
            // Language servers are this instance's own too: every instance hears every file and access change.
            bus.AddConsumer<LanguageServerAccessConsumer>().OnInstanceQueue();
            // In the order they come: a file's later change must not be overtaken by its earlier one.
            bus.AddConsumer<LanguageServerFilesConsumer>().OnInstanceQueue(concurrentMessageLimit: 1);
        });
        builder.AddDefaultAuthentication();

        var services = builder.Services;
        services.AddOptions<SandboxOptions>()
            .Bind(builder.Configuration.GetSection(SandboxOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<WarmPoolOptions>()
            .Bind(builder.Configuration.GetSection(WarmPoolOptions.Section))
            .Configure<LanguageCatalog>((options, catalog) => options.Languages = catalog.Names)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<LanguageServerOptions>()
            .Bind(builder.Configuration.GetSection(LanguageServerOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<RunsOptions>()
            .Bind(builder.Configuration.GetSection(RunsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton<IDockerClient>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<SandboxOptions>>().Value;
            // No API version is asked for: Debian's engine (API 1.41) refuses newer ones instead of negotiating down.
            return new DockerClientConfiguration(new Uri(options.DockerEndpoint)).CreateClient();
        });
        services.AddSingleton<SandboxMetrics>();
        services.AddSingleton<SandboxFactory>();
        services.AddSingleton<SandboxContainers>();
        services.AddSingleton<WarmPool>();
        services.AddSingleton<UserSandboxes>();
        services.AddSingleton<ISandboxes, PooledSandboxes>();
        services.AddHostedService(provider => provider.GetRequiredService<WarmPool>());
        services.AddHostedService(provider => provider.GetRequiredService<UserSandboxes>());
        services.AddHostedService<SandboxSweeper>();
        services.AddHealthChecks().AddCheck<DockerHealthCheck>("docker", tags: ["ready"]);

        services.AddSingleton<LanguageCatalog>();
        services.AddSingleton<LanguageVersions>();
        services.AddSingleton<LanguageListing>();
        services.AddServiceGrpcClient<Files.FilesClient>("filesystem")
            .ConfigureChannel(channel => channel.MaxReceiveMessageSize = 8 << 20)
            .AddServiceToken();
        services.AddSingleton<WorkspaceSource>();
        services.AddSingleton<RunPlanner>();
        services.AddSingleton<RunAdmission>();
        services.AddSingleton<Runner>();
        services.AddSingleton<IWorkspaceRuns>(provider => provider.GetRequiredService<Runner>());
        services.AddSingleton<RunLauncher>();
        services.AddSingleton<CheckRunner>();
        services.AddSingleton<LanguageServerSessions>();
        services.AddWorkspaceRoles();

        services.AddExecutionGrpc();
        services.AddGrpcReflection();
        services.AddApiDocument(ApiDocument, "WebIde execution API", "Languages, runs and diagnostics over REST: docs/api.md §5 (the gRPC API is described by its .proto and server reflection).");
        services.AddGrpcHealthChecks();
    }

    /// <summary>
    /// The gRPC server, reading no request message larger than the largest valid one
    /// (<see cref="RunMessageLimit"/>): inline projects come in one message, refused from its
    /// length prefix when it is longer. gRPC holds a compressed message to the same limit as it
    /// inflates it (InlineProjectLimitTests shows both).
    /// </summary>
    public static IServiceCollection AddExecutionGrpc(this IServiceCollection services)
    {
        services.AddGrpc();
        services.AddOptions<GrpcServiceOptions>().Configure<IOptions<RunsOptions>, IOptions<SandboxOptions>>((grpc, runs, sandbox) =>
            grpc.MaxReceiveMessageSize = RunMessageLimit.MaxBytes(runs.Value, sandbox.Value));
        return services;
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        app.MapApiDocument();
        app.UseWebSockets();
        app.MapRunsApi();
        app.MapLanguagesApi();
        app.MapExecSocket();
        app.MapLanguageServerSocket();
        app.MapGrpcService<ExecutionService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
