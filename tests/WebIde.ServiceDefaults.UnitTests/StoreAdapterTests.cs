using Microsoft.Extensions.DependencyInjection;
using WebIde.ServiceDefaults.Storage;

namespace WebIde.ServiceDefaults.UnitTests;

/// <summary>
/// A storage port runs on the adapter for the store the service was given, and nothing asks for
/// the other store's database, which the service does not have.
/// </summary>
public sealed class StoreAdapterTests
{
    [Test]
    public async Task ASqliteStoreGetsTheSqliteAdapter()
    {
        await using var provider = Build(StoreKind.Sqlite, new SqliteConnection());

        Assert.That(provider.GetRequiredService<INotes>(), Is.TypeOf<SqliteNotes>());
    }

    [Test]
    public async Task AMongoStoreGetsTheMongoAdapter()
    {
        await using var provider = Build(StoreKind.MongoDb, new MongoConnection());

        Assert.That(provider.GetRequiredService<INotes>(), Is.TypeOf<MongoNotes>());
    }

    [Test]
    public async Task ThePortIsOneAdapterForTheWholeProcess()
    {
        await using var provider = Build(StoreKind.Sqlite, new SqliteConnection());

        var first = provider.GetRequiredService<INotes>();

        Assert.That(provider.GetRequiredService<INotes>(), Is.SameAs(first));
    }

    private static ServiceProvider Build<TConnection>(StoreKind kind, TConnection connection)
        where TConnection : class
    {
        var services = new ServiceCollection();
        services.AddSingleton(new StoreDescriptor(kind));
        services.AddSingleton(connection);
        services.AddStoreAdapter<INotes, SqliteNotes, MongoNotes>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public interface INotes;

    public sealed class SqliteConnection;

    public sealed class MongoConnection;

    public sealed class SqliteNotes(SqliteConnection connection) : INotes
    {
        public SqliteConnection Connection { get; } = connection;
    }

    public sealed class MongoNotes(MongoConnection connection) : INotes
    {
        public MongoConnection Connection { get; } = connection;
    }
}
