namespace WebIde.AppHost.Infrastructure;

/// <summary>Debian's <c>redis-server</c> as a local process, with append-only persistence under the data folder.</summary>
public sealed class LocalRedisResource(string name, string dataFolder)
    : ExecutableResource(name, "redis-server", dataFolder), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public EndpointReference Endpoint => field ??= new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Endpoint.Property(EndpointProperty.Host)}:{Endpoint.Property(EndpointProperty.Port)}");
}
