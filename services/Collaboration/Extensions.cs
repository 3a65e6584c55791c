using WebIde.ServiceDefaults.Storage;

namespace WebIde.Collaboration;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddStore();
        builder.AddRedisClient("redis");
        builder.AddMessaging();
        builder.AddDefaultAuthentication();
    }
}
