using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WebIde.Identity.Storage;
using WebIde.ServiceDefaults.Encryption;
using WebIde.ServiceDefaults.Storage;

namespace WebIde.Identity.UnitTests.Storage;

/// <summary>
/// One adapter under the contract, composed as the service composes it (<c>AddStore</c> then
/// <c>AddIdentityStorage</c>) so the suite also proves the wiring picks that adapter. Built
/// lazily: fixture discovery creates these before anything may touch a store.
/// </summary>
public abstract class IdentityStoreHarness : IAsyncDisposable
{
    public const string MongoVariable = "WEBIDE_TEST_MONGODB";

    private IHost? _host;

    /// <summary>Every adapter that can run here: SQLite always, MongoDB when a server is named.</summary>
    public static IEnumerable<TestFixtureData> Reachable()
    {
        yield return new TestFixtureData(new SqliteHarness()).SetArgDisplayNames("sqlite");
        if (Environment.GetEnvironmentVariable(MongoVariable) is { Length: > 0 } connectionString)
        {
            yield return new TestFixtureData(new MongoHarness(connectionString)).SetArgDisplayNames("mongodb");
        }
    }

    /// <summary>The finest time the adapter keeps: SQLite text keeps ticks, BSON dates milliseconds.</summary>
    public abstract TimeSpan TimePrecision { get; }

    /// <summary>The concrete adapter type each port must resolve to, e.g. <c>Sqlite</c> or <c>Mongo</c>.</summary>
    public abstract string AdapterPrefix { get; }

    /// <summary>What the store seals private keys with: a key of this harness's own.</summary>
    public ContentCipher Cipher { get; } = ContentCipher.Throwaway();

    /// <summary>A signing key's private half as the store holds it on disk; null when there is no such key.</summary>
    public abstract Task<byte[]?> ReadStoredPrivateKeyAsync(string keyId);

    protected IServiceProvider Services => (_host ?? throw new InvalidOperationException("Not started.")).Services;

    public IUserStore Users => Services.GetRequiredService<IUserStore>();

    public ISessionStore Sessions => Services.GetRequiredService<ISessionStore>();

    public ISigningKeyStore SigningKeys => Services.GetRequiredService<ISigningKeyStore>();

    public IWorkspaceStore Workspaces => Services.GetRequiredService<IWorkspaceStore>();

    public IOutboxStore Outbox => Services.GetRequiredService<IOutboxStore>();

    public async Task StartAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = "WebIde.Identity",
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:store"] = CreateStore(),
            ["OTEL_SERVICE_NAME"] = "identity",
        });
        builder.Services.AddSingleton(Cipher);
        builder.AddStore();
        builder.AddIdentityStorage();
        _host = builder.Build();
        await _host.StartAsync();
    }

    /// <summary>Makes a fresh, empty store and returns its connection string.</summary>
    protected abstract string CreateStore();

    protected abstract Task DropStoreAsync(IServiceProvider services);

    public async ValueTask DisposeAsync()
    {
        if (_host is { } host)
        {
            await host.StopAsync();
            await DropStoreAsync(host.Services);
            host.Dispose();
            _host = null;
        }

        GC.SuppressFinalize(this);
    }
}
