using Microsoft.Extensions.DependencyInjection.Extensions;
using WebIde.FileSystem.Files;
using WebIde.FileSystem.Storage.Mongo;
using WebIde.FileSystem.Storage.Sqlite;
using WebIde.ServiceDefaults.Encryption;
using WebIde.ServiceDefaults.Storage;

namespace WebIde.FileSystem.Storage;

public static class FileStorageExtensions
{
    /// <summary>
    /// Registers <see cref="IFileStore"/> on the adapter for the store that <c>AddStore</c>
    /// chose (<see cref="StorageExtensions.AddStoreAdapter{TPort, TSqlite, TMongo}"/>). Call it after <c>AddStore()</c>.
    /// </summary>
    public static IHostApplicationBuilder AddFileStorage(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<FileLimits>()
            .Bind(builder.Configuration.GetSection(FileLimits.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        builder.AddContentEncryption();
        services.AddSingleton<StoredContent>();

        // Harmless in MongoDB mode: only a SqliteDatabase reads it.
        services.AddSingleton(SqliteFileStore.Schema);

        services.AddStoreAdapter<IFileStore, SqliteFileStore, MongoFileStore>();
        services.AddHostedService<FileStoreInitializer>();
        return builder;
    }
}
