using MassTransit;
using WebIde.ServiceDefaults.ServiceTokens;
using WebIde.ServiceDefaults.Storage;

namespace Microsoft.Extensions.Hosting;

public static class PlatformServiceExtensions
{
    /// <summary>
    /// What every service behind the gateway stands on, besides the defaults: its own store,
    /// the shared Redis, and the event bus with the consumers it names.
    /// </summary>
    public static IHostApplicationBuilder AddPlatformServices(
        this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configureConsumers = null)
    {
        builder.AddServiceDefaults();
        builder.AddStore();
        builder.AddPlatformRedis();
        builder.AddMessaging(configureConsumers);
        builder.AddServiceTokens();
        return builder;
    }
}
