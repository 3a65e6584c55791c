using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Events;
using WebIde.Collaboration.Persistence;
using WebIde.Collaboration.Presence;
using WebIde.Collaboration.Sockets;
using WebIde.Collaboration.Storage;
using WebIde.Contracts.FileSystem.V1;
using WebIde.ServiceDefaults.Authorization;
using WebIde.ServiceDefaults.Encryption;
using WebIde.ServiceDefaults.ServiceTokens;

namespace WebIde.Collaboration;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformServices(bus =>
        {
            bus.AddConsumer<FileChangedConsumer>();
            bus.AddConsumer<FileDeletedConsumer>();
            bus.AddConsumer<FileMovedConsumer>();
            bus.AddConsumer<WorkspaceDeletedConsumer>();
            // Each instance must act on its own sockets, so each hears these on a queue of its own.
            bus.AddConsumer<ConnectionAccessConsumer>().OnInstanceQueue();
        });
        builder.AddDefaultAuthentication();
        // Operations and texts are sealed before they reach Redis, which writes them to disk.
        builder.AddContentEncryption();

        var services = builder.Services;
        services.AddOptions<CollaborationOptions>()
            .Bind(builder.Configuration.GetSection(CollaborationOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddWorkspaceRoles();
        services.AddServiceGrpcClient<Files.FilesClient>("filesystem")
            .ConfigureChannel(channel => channel.MaxReceiveMessageSize = 8 << 20)
            .AddServiceToken();

        services.AddSingleton<CollaborationMetrics>();
        services.AddSingleton<InstanceIdentity>();
        services.AddSingleton<DocumentStore>();
        services.AddSingleton<InstanceLiveness>();
        services.AddSingleton<FileSource>();
        services.AddSingleton<FileRemovals>();
        services.AddSingleton<GroupCommitter>();
        services.AddHostedService(provider => provider.GetRequiredService<GroupCommitter>());
        services.AddSingleton<DocumentHub>();
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<UserAllowances>();
        services.AddHostedService<InstanceHeartbeat>();
        services.AddHostedService<SnapshotWriter>();
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        app.UseCollabSocketWriteCoalescing();
        app.UseWebSockets();
        app.MapCollabSocket();
        return app;
    }
}
