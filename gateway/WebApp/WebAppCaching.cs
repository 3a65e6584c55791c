namespace WebIde.Gateway.WebApp;

/// <summary>
/// Vite names every asset by its content hash, so an asset never changes: browsers may keep
/// it for good. <c>index.html</c> names the current ones, so it (and anything else) is never
/// served from a cache without asking.
/// </summary>
internal static class WebAppCaching
{
    public static string CacheControlFor(PathString path) =>
        path.StartsWithSegments("/assets") ? "public, max-age=31536000, immutable" : "no-cache";
}
