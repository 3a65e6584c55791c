using Microsoft.Extensions.DependencyInjection.Extensions;
using WebIde.FileSystem.Files;
using WebIde.FileSystem.Storage.Mongo;
using WebIde.FileSystem.Storage.Sqlite;
using WebIde.ServiceDefaults.Storage;

namespace WebIde.FileSystem.Storage;

public static class FileStorageExtensions
{
    /// <summary>
    /// Registers <see cref="IFileStore"/> on the adapter for the store that <c>AddStore</c>
    /// chose: SQLite in local mode, MongoDB in containers mode. Call it after <c>AddStore()</c>.
    /// </summary>
    public static IHostApplicationBuilder AddFileStorage(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<FileLimits>()
            .Bind(builder.Configuration.GetSection(FileLimits.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        // Harmless in MongoDB mode: only a SqliteDatabase reads it.
        services.AddSingleton(SqliteFileStore.Schema);

        // Built inside a factory, never registered by type: validation on build would otherwise
        // demand the other store's database.
        services.AddSingleton<IFileStore>(provider => provider.GetRequiredService<StoreDescriptor>().Kind switch
        {
            StoreKind.Sqlite => ActivatorUtilities.CreateInstance<SqliteFileStore>(provider),
            StoreKind.MongoDb => ActivatorUtilities.CreateInstance<MongoFileStore>(provider),
            var kind => throw new InvalidOperationException($"Filesystem has no storage adapter for a {kind} store."),
        });
        services.AddHostedService<FileStoreInitializer>();
        return builder;
    }
}
