using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WebIde.Identity.Storage;
using WebIde.Identity.Storage.Mongo;
using WebIde.Identity.Storage.Sqlite;
using WebIde.ServiceDefaults.Encryption;
using WebIde.ServiceDefaults.Storage;

namespace WebIde.Identity.UnitTests.Storage;

/// <summary>The ports follow the store the connection string names; resolving them connects to nothing.</summary>
public sealed class IdentityStorageRegistrationTests
{
    [Test]
    public void AFileStoreGetsTheSqliteAdapters()
    {
        var folder = Directory.CreateTempSubdirectory("webide-identity-registration-").FullName;
        try
        {
            using var host = Build($"Data Source={Path.Combine(folder, "identity.db")}");

            Assert.Multiple(() =>
            {
                Assert.That(host.Services.GetRequiredService<IUserStore>(), Is.TypeOf<SqliteUserStore>());
                Assert.That(host.Services.GetRequiredService<ISessionStore>(), Is.TypeOf<SqliteSessionStore>());
                Assert.That(host.Services.GetRequiredService<ISigningKeyStore>(), Is.TypeOf<SqliteSigningKeyStore>());
                Assert.That(host.Services.GetRequiredService<IWorkspaceStore>(), Is.TypeOf<SqliteWorkspaceStore>());
                Assert.That(host.Services.GetRequiredService<IOutboxStore>(), Is.TypeOf<SqliteOutboxStore>());
                Assert.That(host.Services.GetServices<SqliteSchema>().Select(schema => schema.Name), Is.EquivalentTo(new[]
                {
                    "identity-users", "identity-sessions", "identity-signing-keys", "identity-workspaces", "identity-outbox",
                }));
            });
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void AMongoStoreGetsTheMongoAdaptersAndTheIndexInitializer()
    {
        // Nothing listens there: building and resolving must not need a server.
        using var host = Build("mongodb://127.0.0.1:1/webide-identity-registration?serverSelectionTimeoutMS=100");

        Assert.Multiple(() =>
        {
            Assert.That(host.Services.GetRequiredService<IUserStore>(), Is.TypeOf<MongoUserStore>());
            Assert.That(host.Services.GetRequiredService<ISessionStore>(), Is.TypeOf<MongoSessionStore>());
            Assert.That(host.Services.GetRequiredService<ISigningKeyStore>(), Is.TypeOf<MongoSigningKeyStore>());
            Assert.That(host.Services.GetRequiredService<IWorkspaceStore>(), Is.TypeOf<MongoWorkspaceStore>());
            Assert.That(host.Services.GetRequiredService<IOutboxStore>(), Is.TypeOf<MongoOutboxStore>());
            Assert.That(host.Services.GetServices<IHostedService>().OfType<MongoIdentityIndexInitializer>(), Has.Exactly(1).Items);
        });
    }

    private static IHost Build(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = "WebIde.Identity",
        });
        // As in Development (`dotnet run` locally): every registration is validated on build,
        // so the adapter not chosen must not need what only the other store registers.
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:store"] = connectionString });
        builder.Services.AddSingleton(ContentCipher.Throwaway());
        builder.AddStore();
        builder.AddIdentityStorage();
        return builder.Build();
    }
}
