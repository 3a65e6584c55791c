using WebIde.AppHost.Platform;

namespace WebIde.AppHost.Sandbox;

public static class SandboxInstallationExtensions
{
    /// <summary>
    /// The service labels its sandbox containers with the installation and removes only those,
    /// as <c>./webide</c> does on exit, so two checkouts on one machine never remove each
    /// other's (docs/platform.md, "Sandbox containers").
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSandboxInstallation(this IResourceBuilder<ProjectResource> service, PlatformSettings settings) =>
        service.WithEnvironment("Sandbox__Installation", settings.Installation);
}
