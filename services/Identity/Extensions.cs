using WebIde.ServiceDefaults.Storage;

namespace WebIde.Identity;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddStore();
        builder.AddRedisClient("redis");
        builder.AddMessaging();
    }
}
