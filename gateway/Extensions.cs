using WebIde.Gateway.Health;
using WebIde.Gateway.WebApp;

namespace WebIde.Gateway;

public static class Extensions
{
    /// <summary>The services behind the gateway, by the names the AppHost gives them.</summary>
    public static readonly string[] Services = ["identity", "filesystem", "collaboration", "execution"];

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient("redis");

        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver();

        builder.AddServiceHealthChecks(Services);
        builder.AddWebApp();
    }
}
