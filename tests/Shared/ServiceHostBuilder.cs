using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WebIde.ServiceDefaults.Encryption;

namespace WebIde.Tests.Shared;

/// <summary>
/// Composes a service as its <c>Program</c> does (its <c>AddApplicationServices()</c>, which
/// brings the service defaults along) with the configuration the AppHost would pass: a SQLite
/// store in a temp folder of its own, and brokers on a closed loopback port (nothing connects
/// while the app is only built). The app runs on the test server: no port is bound.
/// </summary>
public sealed class ServiceHostBuilder : IDisposable
{
    private readonly Action<IHostApplicationBuilder> _addApplicationServices;
    private readonly string _applicationName;

    /// <param name="serviceName">The AppHost's name for the service (<c>identity</c>…).</param>
    /// <param name="addApplicationServices">The service's <c>Extensions.AddApplicationServices</c>.</param>
    public ServiceHostBuilder(string serviceName, Action<IHostApplicationBuilder> addApplicationServices)
    {
        _addApplicationServices = addApplicationServices;
        // The service's assembly, as its Program would have it.
        _applicationName = addApplicationServices.Method.DeclaringType!.Assembly.GetName().Name!;
        ServiceName = serviceName;
        DataFolder = Directory.CreateTempSubdirectory($"webide-{serviceName}-").FullName;
        // A folder that does not exist yet: the service creates it.
        StoreFile = Path.Combine(DataFolder, "data", serviceName, $"{serviceName}.db");
        // The installation's content keys, as the AppHost makes them.
        KeyRingFile = Path.Combine(DataFolder, "data", "keys", "content-keys.json");
        ServiceDefaults.Encryption.KeyRingFile.CreateIfMissing(KeyRingFile, DateTimeOffset.UtcNow);
        Settings = new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = serviceName,
            ["ConnectionStrings:store"] = $"Data Source={StoreFile}",
            ["ConnectionStrings:redis"] = "127.0.0.1:1,abortConnect=false,connectTimeout=200,connectRetry=0",
            ["ConnectionStrings:rabbitmq"] = "amqp://guest:guest@127.0.0.1:1",
            ["services:identity:http:0"] = "http://127.0.0.1:1",
            [EncryptionExtensions.KeyRingFileSetting] = KeyRingFile,
            ["Logging:LogLevel:Default"] = "Warning",
        };
    }

    public string ServiceName { get; }

    public string DataFolder { get; }

    public string StoreFile { get; }

    public string KeyRingFile { get; }

    /// <summary>The configuration the service gets; a key set to null is missing.</summary>
    public Dictionary<string, string?> Settings { get; }

    /// <summary>Changes a test makes to the service's registrations after the service's own.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    public WebApplication Build()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = _applicationName,
            EnvironmentName = Environments.Production,
        });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(Settings);
        builder.Logging.ClearProviders();

        _addApplicationServices(builder);
        ConfigureServices?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>Runs one of the app's registered health checks, as <c>/health</c> would.</summary>
    public static async Task<HealthReportEntry> CheckAsync(WebApplication app, string name)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var report = await app.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(registration => registration.Name == name, deadline.Token);
        return report.Entries.TryGetValue(name, out var entry)
            ? entry
            : throw new InvalidOperationException($"No health check named '{name}' is registered.");
    }

    /// <summary>The names of every health check the app registered.</summary>
    public static IReadOnlyList<string> HealthChecks(WebApplication app) =>
        app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthCheckServiceOptions>>()
            .Value.Registrations.Select(registration => registration.Name).ToList();

    public void Dispose()
    {
        // Pooled connections keep the file open.
        SqliteConnection.ClearAllPools();
        Directory.Delete(DataFolder, recursive: true);
    }
}
