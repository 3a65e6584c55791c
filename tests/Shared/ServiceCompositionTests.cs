using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using WebIde.ServiceDefaults.Encryption;

namespace WebIde.Tests.Shared;

/// <summary>
/// A service composes from the configuration the AppHost passes, and fails plainly, naming what
/// is missing, without it. Each service's test project derives one fixture from this.
/// </summary>
/// <param name="service">The AppHost's name for the service.</param>
/// <param name="validatesTokens">Whether the service validates access tokens (and so needs identity's URL).</param>
/// <param name="addApplicationServices">The service's <c>Extensions.AddApplicationServices</c>.</param>
/// <param name="keepsContent">Whether the service keeps content at rest (and so needs the content key ring, docs/api.md §7).</param>
public abstract class ServiceCompositionTests(string service, bool validatesTokens, Action<IHostApplicationBuilder> addApplicationServices, bool keepsContent = false)
{
    protected string Service => service;

    /// <summary>Settings beyond the common ones that this service cannot start without.</summary>
    protected virtual void Configure(ServiceHostBuilder host)
    {
    }

    protected ServiceHostBuilder NewHost()
    {
        var host = new ServiceHostBuilder(service, addApplicationServices);
        Configure(host);
        return host;
    }

    [Test]
    public async Task TheServiceBuildsAndItsStoreIsHealthy()
    {
        using var host = NewHost();
        await using var app = host.Build();

        var store = await ServiceHostBuilder.CheckAsync(app, "store");

        Assert.That(store.Status, Is.EqualTo(HealthStatus.Healthy), store.Exception?.ToString());
        Assert.That(File.Exists(host.StoreFile), Is.True, "the SQLite file is created where the connection string points");
    }

    [Test]
    public async Task HealthCoversTheStoreAndRedis()
    {
        using var host = NewHost();
        await using var app = host.Build();

        var checks = ServiceHostBuilder.HealthChecks(app);

        Assert.That(checks, Does.Contain("store").And.Contain("self"));
        Assert.That(checks.Any(check => check.Contains("redis", StringComparison.OrdinalIgnoreCase)), Is.True, string.Join(", ", checks));
    }

    [TestCase("ConnectionStrings:store", "'store'")]
    [TestCase("ConnectionStrings:rabbitmq", "'rabbitmq'")]
    public void AMissingConnectionStringFailsNamingIt(string setting, string named)
    {
        using var host = NewHost();
        host.Settings[setting] = null;

        Assert.That(() => host.Build(), Throws.InvalidOperationException.With.Message.Contains(named));
    }

    [Test]
    public async Task TheKeyRingIsNeededExactlyWhenTheServiceKeepsContent()
    {
        using var host = NewHost();
        host.Settings[EncryptionExtensions.KeyRingFileSetting] = null;

        if (keepsContent)
        {
            Assert.That(() => host.Build(), Throws.InvalidOperationException.With.Message.Contains(EncryptionExtensions.KeyRingFileSetting));
        }
        else
        {
            await using var app = host.Build();
            Assert.That(app, Is.Not.Null);
        }
    }

    [Test]
    public async Task AServiceThatKeepsContentRefusesAKeyRingOthersCanRead()
    {
        using var host = NewHost();
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(host.KeyRingFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        }

        if (keepsContent)
        {
            Assert.That(() => host.Build(), Throws.InvalidOperationException.With.Message.Contains("chmod 600"));
        }
        else
        {
            await using var app = host.Build();
            Assert.That(app, Is.Not.Null);
        }
    }

    [Test]
    public async Task IdentitysUrlIsNeededExactlyWhenTheServiceValidatesTokens()
    {
        using var host = NewHost();
        host.Settings["services:identity:http:0"] = null;

        if (validatesTokens)
        {
            Assert.That(() => host.Build(), Throws.InvalidOperationException.With.Message.Contains("identity"));
        }
        else
        {
            await using var app = host.Build();
            Assert.That(app, Is.Not.Null);
        }
    }
}
