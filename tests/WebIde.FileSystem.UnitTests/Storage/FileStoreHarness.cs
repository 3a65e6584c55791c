using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WebIde.FileSystem.Files;
using WebIde.FileSystem.Storage;
using WebIde.ServiceDefaults.Encryption;
using WebIde.ServiceDefaults.Storage;
using WebIde.Tests.Shared;

namespace WebIde.FileSystem.UnitTests.Storage;

/// <summary>
/// One adapter under the contract, composed as the service composes it (<c>AddStore</c> then
/// <c>AddFileStorage</c>) so the suite also proves the wiring picks that adapter. Built
/// lazily: fixture discovery creates these before anything may touch a store. The limits are
/// small so quota tests stay cheap, and the clock is a test's to move.
/// </summary>
public abstract class FileStoreHarness : IAsyncDisposable
{
    public const string MongoVariable = "WEBIDE_TEST_MONGODB";

    /// <summary>Whole milliseconds: what every adapter keeps, so times compare equal after a round trip.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);

    public static readonly FileLimits Limits = new()
    {
        MaxFileBytes = 1_000,
        MaxWorkspaceBytes = 4_000,
        MaxWorkspaceEntries = 120,
        MaxAccountBytes = 6_000,
    };

    private IHost? _host;

    /// <summary>
    /// Every adapter that can run here: SQLite always, MongoDB when a server is named. The
    /// MongoDB adapter also runs always against an in-memory emulation of the calls it makes,
    /// which checks its logic (not MongoDB's behaviour) where no server is at hand.
    /// </summary>
    public static IEnumerable<TestFixtureData> Reachable()
    {
        yield return new TestFixtureData(new SqliteHarness()).SetArgDisplayNames("sqlite");
        yield return new TestFixtureData(new EmulatedMongoHarness()).SetArgDisplayNames("mongodb-emulated");
        if (Environment.GetEnvironmentVariable(MongoVariable) is { Length: > 0 } connectionString)
        {
            yield return new TestFixtureData(new MongoHarness(connectionString)).SetArgDisplayNames("mongodb");
        }
    }

    /// <summary>The concrete adapter type the port must resolve to, e.g. <c>Sqlite</c> or <c>Mongo</c>.</summary>
    public abstract string AdapterPrefix { get; }

    /// <summary>The store's clock: it stands still until a test moves it.</summary>
    public ManualTime Clock { get; } = new(Epoch);

    /// <summary>What the store seals content with: a key of this harness's own.</summary>
    public ContentCipher Cipher { get; } = ContentCipher.Throwaway();

    public IFileStore Store => Services.GetRequiredService<IFileStore>();

    protected IServiceProvider Services => (_host ?? throw new InvalidOperationException("Not started.")).Services;

    /// <summary>A file's content as the store holds it on disk; null when there is no such file.</summary>
    public abstract Task<byte[]?> ReadStoredContentAsync(Guid workspaceId, string path);

    /// <summary>Replaces a file's content as the store holds it, behind the adapter's back (an older version's write, or a tamperer's).</summary>
    public abstract Task WriteStoredContentAsync(Guid workspaceId, string path, byte[] stored);

    public async Task StartAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = "WebIde.FileSystem",
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:store"] = CreateStore(),
            ["OTEL_SERVICE_NAME"] = "filesystem",
            [$"{FileLimits.Section}:{nameof(FileLimits.MaxFileBytes)}"] = $"{Limits.MaxFileBytes}",
            [$"{FileLimits.Section}:{nameof(FileLimits.MaxWorkspaceBytes)}"] = $"{Limits.MaxWorkspaceBytes}",
            [$"{FileLimits.Section}:{nameof(FileLimits.MaxWorkspaceEntries)}"] = $"{Limits.MaxWorkspaceEntries}",
            [$"{FileLimits.Section}:{nameof(FileLimits.MaxAccountBytes)}"] = $"{Limits.MaxAccountBytes}",
        });
        // Before AddFileStorage, whose TryAdd then leaves it in place; so is the cipher.
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.Services.AddSingleton(Cipher);
        builder.AddStore();
        builder.AddFileStorage();
        ReplaceServices(builder.Services);
        _host = builder.Build();
        await _host.StartAsync();
    }

    /// <summary>Swaps what the composition registered for a stand-in; the last registration is the one resolved.</summary>
    protected virtual void ReplaceServices(IServiceCollection services)
    {
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
