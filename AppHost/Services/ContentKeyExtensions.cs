using WebIde.AppHost.Platform;
using WebIde.ServiceDefaults.Encryption;

namespace WebIde.AppHost.Services;

public static class ContentKeyExtensions
{
    /// <summary>Where the installation's content key ring lives: under the data folder, in a folder only the platform's user can open.</summary>
    public static string ContentKeyRing(this PlatformSettings settings) => Path.Combine(settings.DataDir, "keys", "content-keys.json");

    /// <summary>
    /// The content key ring for a service that keeps content at rest (docs/api.md §7): made for
    /// the installation the first time (owner-only, 0600 in a 0700 folder), then always the same
    /// file, whose path the service gets as <c>WebIde:Encryption:KeyRingFile</c>. Losing it loses
    /// what was sealed with it: back it up with the data folder, apart from it. With a services' user
    /// the file is theirs (they read it; its folder stays the platform's), and a rotation keeps it so.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithContentKeys(this IResourceBuilder<ProjectResource> service, PlatformSettings settings)
    {
        var file = settings.ContentKeyRing();
        KeyRingFile.CreateIfMissing(file, DateTimeOffset.UtcNow);
        settings.HandToServices(file);
        return service.WithEnvironment("WebIde__Encryption__KeyRingFile", file);
    }
}
