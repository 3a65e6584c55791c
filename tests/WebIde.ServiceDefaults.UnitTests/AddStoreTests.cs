using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using MongoDB.Driver;
using WebIde.ServiceDefaults.Storage;

namespace WebIde.ServiceDefaults.UnitTests;

public sealed class AddStoreTests
{
    private TempFolder _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TempFolder();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    [Test]
    public async Task ASqliteConnectionStringGivesASqliteStoreInAFolderThatExists()
    {
        var file = _folder.File("data", "identity", "identity.db");
        var builder = CreateBuilder($"Data Source={file}");

        var kind = builder.AddStore();

        Assert.That(kind, Is.EqualTo(StoreKind.Sqlite));
        Assert.That(Directory.Exists(Path.GetDirectoryName(file)), Is.True, "the store's folder is created at registration");
        await using var services = builder.Services.BuildServiceProvider();
        Assert.That(services.GetRequiredService<SqliteDatabase>().DataSource, Is.EqualTo(file));
    }

    [Test]
    public async Task TheStoreCheckOfASqliteStoreIsHealthyAndCreatesTheFile()
    {
        var file = _folder.File("data", "identity.db");
        var builder = CreateBuilder($"Data Source={file}");
        builder.AddStore();
        await using var services = builder.Services.BuildServiceProvider();

        var entry = await CheckStoreAsync(services);

        Assert.That(entry.Status, Is.EqualTo(HealthStatus.Healthy), entry.Exception?.ToString());
        Assert.That(File.Exists(file), Is.True);
    }

    [Test]
    public async Task SchemasRegisteredByAdaptersAreAppliedToTheStore()
    {
        var file = _folder.File("identity.db");
        var builder = CreateBuilder($"Data Source={file}");
        builder.AddStore();
        builder.Services.AddSingleton(new SqliteSchema("users", "CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY);"));
        await using var services = builder.Services.BuildServiceProvider();

        await using var connection = await services.GetRequiredService<SqliteDatabase>().OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'users'";

        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo(1L));
    }

    [Test]
    public async Task TheStoreCheckOfASqliteFileThatCannotBeOpenedIsUnhealthy()
    {
        // The data source is a folder: SQLite cannot open it as a database.
        var folder = Directory.CreateDirectory(_folder.File("not-a-file")).FullName;
        var builder = CreateBuilder($"Data Source={folder}");
        builder.AddStore();
        await using var services = builder.Services.BuildServiceProvider();

        var entry = await CheckStoreAsync(services);

        Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(entry.Description, Is.EqualTo("Sqlite store unreachable"));
        Assert.That(entry.Exception, Is.Not.Null);
    }

    [Test]
    public void AStoreFolderThatCannotBeCreatedFailsAtRegistration()
    {
        var blocker = _folder.File("blocker");
        File.WriteAllText(blocker, "a file where the store's folder should be");
        var builder = CreateBuilder($"Data Source={Path.Combine(blocker, "identity", "identity.db")}");

        Assert.That(() => builder.AddStore(), Throws.InstanceOf<IOException>());
    }

    [Test]
    public async Task AMongoDbUrlGivesTheDatabaseItNames()
    {
        var builder = CreateBuilder("mongodb://host:27017/identity");

        var kind = builder.AddStore();

        Assert.That(kind, Is.EqualTo(StoreKind.MongoDb));
        await using var services = builder.Services.BuildServiceProvider();
        Assert.That(services.GetRequiredService<IMongoDatabase>().DatabaseNamespace.DatabaseName, Is.EqualTo("identity"));
        Assert.That(services.GetService<SqliteDatabase>(), Is.Null);
    }

    [Test]
    public async Task AMongoDbUrlWithoutADatabaseUsesTheServiceName()
    {
        var builder = CreateBuilder("mongodb://host:27017", applicationName: "WebIde.FileSystem");
        builder.Configuration["OTEL_SERVICE_NAME"] = "filesystem";

        builder.AddStore();

        await using var services = builder.Services.BuildServiceProvider();
        Assert.That(services.GetRequiredService<IMongoDatabase>().DatabaseNamespace.DatabaseName, Is.EqualTo("filesystem"));
    }

    [Test]
    public async Task AMongoDbUrlWithoutADatabaseOrServiceNameGivesAValidDatabaseName()
    {
        // The assembly name has dots, which MongoDB refuses in a database name.
        var builder = CreateBuilder("mongodb://host:27017", applicationName: "WebIde.FileSystem");

        builder.AddStore();

        await using var services = builder.Services.BuildServiceProvider();
        Assert.That(services.GetRequiredService<IMongoDatabase>().DatabaseNamespace.DatabaseName, Is.EqualTo("webide-filesystem"));
    }

    [Test]
    public void AnSrvMongoDbUrlIsAMongoDbStore()
    {
        var builder = CreateBuilder("mongodb+srv://cluster.example.com/identity");

        Assert.That(builder.AddStore(), Is.EqualTo(StoreKind.MongoDb));
    }

    [Test]
    public async Task TheStoreCheckOfAnUnreachableMongoDbIsUnhealthyNotAnException()
    {
        // Port 1 on loopback is closed; a short server selection keeps the check quick.
        var builder = CreateBuilder("mongodb://127.0.0.1:1/identity?serverSelectionTimeoutMS=300&connectTimeoutMS=300");
        builder.AddStore();
        await using var services = builder.Services.BuildServiceProvider();

        var entry = await CheckStoreAsync(services);

        Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(entry.Description, Is.EqualTo("MongoDb store unreachable"));
    }

    [Test]
    public void AMissingConnectionStringFailsNamingIt()
    {
        var builder = CreateBuilder(connectionString: null);

        Assert.That(() => builder.AddStore(), Throws.InvalidOperationException.With.Message.Contains("'store'"));
    }

    [Test]
    public void TheStoreCheckIsPartOfReadinessOnly()
    {
        var builder = CreateBuilder($"Data Source={_folder.File("identity.db")}");
        builder.AddStore();
        using var services = builder.Services.BuildServiceProvider();

        var registration = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthCheckServiceOptions>>()
            .Value.Registrations.Single(registration => registration.Name == "store");

        Assert.That(registration.Tags, Does.Contain("ready").And.Not.Contain(HealthExtensions.LiveTag));
        Assert.That(registration.FailureStatus, Is.EqualTo(HealthStatus.Unhealthy));
    }

    private static HostApplicationBuilder CreateBuilder(string? connectionString, string applicationName = "identity")
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = applicationName });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:store"] = connectionString });
        builder.Services.AddLogging();
        return builder;
    }

    private static async Task<HealthReportEntry> CheckStoreAsync(IServiceProvider services)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var report = await services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(registration => registration.Name == "store", deadline.Token);
        return report.Entries["store"];
    }
}
