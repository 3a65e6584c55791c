using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WebIde.FileSystem.Storage;
using WebIde.FileSystem.Storage.Mongo;
using WebIde.FileSystem.Storage.Sqlite;
using WebIde.ServiceDefaults.Encryption;
using WebIde.ServiceDefaults.Storage;

namespace WebIde.FileSystem.UnitTests.Storage;

/// <summary>The port follows the store the connection string names; resolving it connects to nothing.</summary>
public sealed class FileStorageRegistrationTests
{
    [Test]
    public void AFileStoreGetsTheSqliteAdapter()
    {
        var folder = Directory.CreateTempSubdirectory("webide-filesystem-registration-").FullName;
        try
        {
            using var host = Build($"Data Source={Path.Combine(folder, "filesystem.db")}");

            Assert.That(host.Services.GetRequiredService<IFileStore>(), Is.TypeOf<SqliteFileStore>());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void AMongoStoreGetsTheMongoAdapterWhichPreparesItsIndexesAtStart()
    {
        // Nothing listens there: building and resolving must not need a server.
        using var host = Build("mongodb://127.0.0.1:1/webide-filesystem-registration?serverSelectionTimeoutMS=100");

        var store = host.Services.GetRequiredService<IFileStore>();
        Assert.Multiple(() =>
        {
            Assert.That(store, Is.TypeOf<MongoFileStore>());
            Assert.That(store, Is.InstanceOf<IInitializableStore>());
            Assert.That(host.Services.GetServices<IHostedService>().OfType<FileStoreInitializer>(), Has.Exactly(1).Items);
        });
    }

    private static IHost Build(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = "WebIde.FileSystem",
        });
        // As in Development: every registration is validated on build, so the adapter not
        // chosen must not need what only the other store registers.
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:store"] = connectionString,
            ["OTEL_SERVICE_NAME"] = "filesystem",
        });
        builder.Services.AddSingleton(ContentCipher.Throwaway());
        builder.AddStore();
        builder.AddFileStorage();
        return builder.Build();
    }
}
