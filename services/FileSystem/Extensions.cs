namespace WebIde.FileSystem;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformServices();
        builder.AddDefaultAuthentication();
    }
}
