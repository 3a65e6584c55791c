using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MongoDB.Driver;
using WebIde.Identity.Storage.Mongo;
using WebIde.Identity.Storage.Sqlite;
using WebIde.ServiceDefaults.Encryption;
using WebIde.ServiceDefaults.Storage;

namespace WebIde.Identity.Storage;

public static class IdentityStorageExtensions
{
    /// <summary>
    /// Registers identity's storage ports, each on the adapter for the store that
    /// <c>AddStore</c> chose (<see cref="StorageExtensions.AddStoreAdapter{TPort, TSqlite, TMongo}"/>). Call it after
    /// <c>AddPlatformServices()</c>.
    /// </summary>
    public static IHostApplicationBuilder AddIdentityStorage(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        // Harmless in MongoDB mode: only a SqliteDatabase reads them.
        services.AddSingleton(SqliteUserStore.Schema);
        services.AddSingleton(SqliteSessionStore.Schema);
        services.AddSingleton(SqliteSigningKeyStore.Schema);
        services.AddSingleton(SqliteWorkspaceStore.Schema);
        services.AddSingleton(SqliteOutboxStore.Schema);

        // The index guard is built inside a factory, never registered by type: validation on
        // build (Development) would otherwise demand a MongoDB database in local mode too.
        services.AddSingleton(provider => new MongoIdentityIndexes(provider.GetRequiredService<IMongoDatabase>()));
        services.AddSingleton(provider => new MongoOutboxStore(provider.GetRequiredService<IMongoDatabase>()));
        services.AddHostedService<MongoIdentityIndexInitializer>();

        services.AddStoreAdapter<IUserStore, SqliteUserStore, MongoUserStore>();
        services.AddStoreAdapter<ISessionStore, SqliteSessionStore, MongoSessionStore>();
        // Signing keys' private halves are sealed in either store.
        builder.AddContentEncryption();
        services.AddSingleton<StoredPrivateKey>();
        services.AddStoreAdapter<ISigningKeyStore, SqliteSigningKeyStore, MongoSigningKeyStore>();
        services.AddStoreAdapter<IWorkspaceStore, SqliteWorkspaceStore, MongoWorkspaceStore>();
        services.AddStoreAdapter<IOutboxStore, SqliteOutboxStore, MongoOutboxStore>();

        return builder;
    }
}
