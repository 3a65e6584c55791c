using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using MongoDB.Driver;

namespace WebIde.ServiceDefaults.Storage;

public static class StorageExtensions
{
    /// <summary>
    /// Registers the service's store from its <c>store</c> connection string: a
    /// <c>mongodb://</c> URL gives an <see cref="IMongoDatabase"/>, anything else is a SQLite
    /// connection string that gives a <see cref="SqliteDatabase"/>. The service's own
    /// storage port picks its adapter from the <see cref="StoreDescriptor"/> registered here.
    /// </summary>
    public static StoreKind AddStore(this IHostApplicationBuilder builder, string connectionName = "store")
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"Connection string '{connectionName}' is missing: the AppHost passes it.");

        var kind = connectionString.StartsWith("mongodb://", StringComparison.OrdinalIgnoreCase)
            || connectionString.StartsWith("mongodb+srv://", StringComparison.OrdinalIgnoreCase)
            ? StoreKind.MongoDb
            : StoreKind.Sqlite;

        if (kind == StoreKind.MongoDb)
        {
            var url = MongoUrl.Create(connectionString);
            // Named after the service, as the AppHost names it; MongoDB refuses '.' in a name.
            var databaseName = url.DatabaseName ?? builder.GetServiceName().ToLowerInvariant().Replace('.', '-');
            var settings = MongoClientSettings.FromUrl(url);
            // tls=true in the connection string puts the store on TLS; the driver takes no CA file from it, so the
            // internal CA of WebIde:Tls:CaFile is checked here, as for every other internal hop.
            if (settings.UseTls && builder.GetInternalCertificateAuthority() is { } authority)
            {
                settings.SslSettings = new SslSettings { ServerCertificateValidationCallback = authority.Validate };
            }
            builder.Services.AddSingleton<IMongoClient>(_ => new MongoClient(settings));
            builder.Services.AddSingleton(services => services.GetRequiredService<IMongoClient>().GetDatabase(databaseName));
        }
        else
        {
            var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
            var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
            builder.Services.AddSingleton(services => new SqliteDatabase(connectionString, services.GetServices<SqliteSchema>()));
        }

        builder.Services.AddSingleton(new StoreDescriptor(kind));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            "store",
            services => new StoreHealthCheck(services, kind),
            HealthStatus.Unhealthy,
            ["ready"]));

        return kind;
    }

    /// <summary>
    /// Registers a storage port on the adapter for the store <see cref="AddStore"/> chose:
    /// <typeparamref name="TSqlite"/> in local mode, <typeparamref name="TMongo"/> in containers
    /// mode. The adapter is built inside a factory, never registered by type: validation on
    /// build (Development) would otherwise demand the other store's database.
    /// </summary>
    public static IServiceCollection AddStoreAdapter<TPort, TSqlite, TMongo>(this IServiceCollection services)
        where TPort : class
        where TSqlite : class, TPort
        where TMongo : class, TPort =>
        services.AddSingleton<TPort>(provider => provider.GetRequiredService<StoreDescriptor>().Kind switch
        {
            StoreKind.Sqlite => ActivatorUtilities.CreateInstance<TSqlite>(provider),
            StoreKind.MongoDb => ActivatorUtilities.CreateInstance<TMongo>(provider),
            var kind => throw new InvalidOperationException($"{typeof(TPort).Name} has no adapter for a {kind} store."),
        });
}
