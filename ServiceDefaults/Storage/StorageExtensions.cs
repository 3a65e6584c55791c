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
            builder.Services.AddSingleton<IMongoClient>(_ => new MongoClient(url));
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
}
