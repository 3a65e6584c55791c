namespace WebIde.AppHost.Infrastructure;

/// <summary>
/// MongoDB as a container. No Aspire MongoDB hosting package restores here, so the container
/// and its connection string are declared directly.
/// </summary>
public sealed class MongoServerResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public EndpointReference Endpoint => field ??= new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"mongodb://{Endpoint.Property(EndpointProperty.Host)}:{Endpoint.Property(EndpointProperty.Port)}");
}
