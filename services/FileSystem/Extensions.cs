using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using WebIde.FileSystem.Access;
using WebIde.FileSystem.Apis;
using WebIde.FileSystem.Events;
using WebIde.FileSystem.Files;
using WebIde.FileSystem.Grpc;
using WebIde.FileSystem.Storage;
using WebIde.ServiceDefaults.Authorization;
using WebIde.ServiceDefaults.OpenApi;

namespace WebIde.FileSystem;

public static class Extensions
{
    /// <summary>The OpenAPI document's name: it is served at <c>/openapi/filesystem.json</c> (docs/api.md §0).</summary>
    public const string ApiDocument = "filesystem";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformServices(bus =>
        {
            bus.AddConsumer<WorkspaceCreatedConsumer>();
            bus.AddConsumer<WorkspaceDeletedConsumer>();
            bus.AddConsumer<MembershipChangedConsumer>();
        });
        builder.AddDefaultAuthentication();
        builder.AddFileStorage();

        var services = builder.Services;
        services.AddOptions<ChangeEventsOptions>()
            .Bind(builder.Configuration.GetSection(ChangeEventsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.Configure<StarterProjectOptions>(builder.Configuration.GetSection(StarterProjectOptions.Section));

        services.AddWorkspaceRoles();
        services.AddSingleton<WorkspaceAccess>();

        services.AddSingleton<FileCache>();
        services.AddSingleton<ChangeFeed>();
        services.AddSingleton<EventStreamSlots>();
        services.AddHostedService(provider => provider.GetRequiredService<ChangeFeed>());
        services.AddSingleton<WorkspaceFiles>();
        services.AddSingleton<PublisherLease>();
        services.AddHostedService<ChangePublisher>();

        services.AddApiDocument(ApiDocument, "WebIde file API", "A workspace's files and their changes: docs/api.md §3.");

        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);

        // A whole file is one message each way; room above the largest file for the envelope.
        var maxMessage = (int)Math.Min(int.MaxValue, (builder.Configuration.GetValue<long?>($"{FileLimits.Section}:MaxFileBytes") ?? new FileLimits().MaxFileBytes) + 64 * 1024);
        services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = maxMessage;
            options.MaxSendMessageSize = maxMessage;
        });
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        app.MapApiDocument();
        app.MapFilesApi();
        app.MapChangeStreamApi();
        app.MapGrpcService<FilesService>();
        return app;
    }
}
