using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MongoDB.Driver;
using WebIde.Identity.Storage.Mongo;
using WebIde.Identity.Storage.Sqlite;
using WebIde.ServiceDefaults.Storage;

namespace WebIde.Identity.Storage;

public static class IdentityStorageExtensions
{
    /// <summary>
    /// Registers identity's storage ports, each on the adapter for the store that
    /// <c>AddStore</c> chose (its <see cref="StoreDescriptor"/>): SQLite in local mode, MongoDB
    /// in containers mode. Call it after <c>AddPlatformServices()</c>.
    /// </summary>
    public static IHostApplicationBuilder AddIdentityStorage(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        // Harmless in MongoDB mode: only a SqliteDatabase reads them.
        services.AddSingleton(SqliteUserStore.Schema);
        services.AddSingleton(SqliteSessionStore.Schema);
        services.AddSingleton(SqliteSigningKeyStore.Schema);
        services.AddSingleton(SqliteWorkspaceStore.Schema);

        // Adapters and the index guard are built inside factories, never registered by type:
        // validation on build (Development) would otherwise demand the other store's database.
        services.AddSingleton(provider => new MongoIdentityIndexes(provider.GetRequiredService<IMongoDatabase>()));
        services.AddHostedService<MongoIdentityIndexInitializer>();

        services.AddSingleton<IUserStore>(Pick<IUserStore, SqliteUserStore, MongoUserStore>);
        services.AddSingleton<ISessionStore>(Pick<ISessionStore, SqliteSessionStore, MongoSessionStore>);
        services.AddSingleton<ISigningKeyStore>(Pick<ISigningKeyStore, SqliteSigningKeyStore, MongoSigningKeyStore>);
        services.AddSingleton<IWorkspaceStore>(Pick<IWorkspaceStore, SqliteWorkspaceStore, MongoWorkspaceStore>);

        return builder;
    }

    private static TPort Pick<TPort, TSqlite, TMongo>(IServiceProvider provider)
        where TPort : class
        where TSqlite : class, TPort
        where TMongo : class, TPort =>
        provider.GetRequiredService<StoreDescriptor>().Kind switch
        {
            StoreKind.Sqlite => ActivatorUtilities.CreateInstance<TSqlite>(provider),
            StoreKind.MongoDb => ActivatorUtilities.CreateInstance<TMongo>(provider),
            var kind => throw new InvalidOperationException($"Identity has no storage adapter for a {kind} store."),
        };
}
