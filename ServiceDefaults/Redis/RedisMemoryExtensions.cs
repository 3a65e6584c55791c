using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

public static class RedisMemoryExtensions
{
    /// <summary>
    /// Measures how full the shared Redis is (<see cref="RedisMemoryMonitor"/>). One process
    /// of the platform registers it, so the gauge has one series and the warning one author.
    /// </summary>
    public static IHostApplicationBuilder AddRedisMemoryMonitor(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RedisMemoryMonitor>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RedisMemoryMonitor>());
        return builder;
    }
}
