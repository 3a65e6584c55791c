namespace WebIde.AppHost.Infrastructure;

/// <summary>
/// The Erlang port mapper RabbitMQ registers with. Run as a resource of its own, on a port of
/// its own, so it stops with the platform instead of outliving it as a daemon on 4369.
/// </summary>
public sealed class EpmdResource(string name, string dataFolder) : ExecutableResource(name, "epmd", dataFolder)
{
    public const string EndpointName = "tcp";

    public EndpointReference Endpoint => field ??= new(this, EndpointName);
}
