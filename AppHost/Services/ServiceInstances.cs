using WebIde.AppHost.Platform;

namespace WebIde.AppHost.Services;

/// <summary>
/// The instances of one service: the same project started <see cref="PlatformSettings.Scale"/> times
/// (<c>./webide up --scale N</c>), sharing the service's store, its credentials towards the others and its name.
/// Callers reach all of them under that name: service discovery lists every instance, and the callers' HTTP and
/// gRPC clients (and the gateway's proxy) take them in turn.
/// </summary>
public sealed record ServiceInstances(string Service, IReadOnlyList<IResourceBuilder<ProjectResource>> Instances)
{
    /// <summary>The instance named as the service itself (or numbered 1), whose endpoints tests and the ready line show.</summary>
    public IResourceBuilder<ProjectResource> First => Instances[0];
}
