using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WebIde.ServiceDefaults.UnitTests;

/// <summary>
/// A minimal service on the test server with what every WebIde process has:
/// <c>AddServiceDefaults()</c> and <c>MapDefaultEndpoints()</c>.
/// </summary>
internal sealed class DefaultsHost(WebApplication app) : IAsyncDisposable
{
    public const string ServiceName = "identity";

    public HttpClient Client { get; } = app.GetTestClient();

    public static async Task<DefaultsHost> StartAsync(
        Action<IHealthChecksBuilder>? addChecks = null,
        Action<WebApplication>? mapEndpoints = null,
        string environment = "Production")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        builder.Configuration["OTEL_SERVICE_NAME"] = ServiceName;
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults();
        addChecks?.Invoke(builder.Services.AddHealthChecks());

        var app = builder.Build();
        app.MapDefaultEndpoints();
        mapEndpoints?.Invoke(app);
        await app.StartAsync();
        return new DefaultsHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
