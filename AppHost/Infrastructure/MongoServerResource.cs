namespace WebIde.AppHost.Infrastructure;

/// <summary>
/// MongoDB as a container. No Aspire MongoDB hosting package restores here, so the container
/// and its connection string are declared directly. It requires the installation's root user,
/// made when its volume is first initialised.
/// </summary>
public sealed class MongoServerResource(string name, ParameterResource password) : ContainerResource(name), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    /// <summary>The root user the image creates from <c>MONGO_INITDB_ROOT_USERNAME</c>; its users live in <c>admin</c>.</summary>
    public const string RootUser = "webide";

    public EndpointReference Endpoint => field ??= new(this, EndpointName);

    public ParameterResource Password => password;

    public ReferenceExpression ConnectionStringExpression => DatabaseConnectionString("");

    /// <summary>The connection string of one database on this server, as its root user.</summary>
    public ReferenceExpression DatabaseConnectionString(string database) =>
        ReferenceExpression.Create($"mongodb://{RootUser}:{Password}@{Endpoint.Property(EndpointProperty.Host)}:{Endpoint.Property(EndpointProperty.Port)}/{database}?authSource=admin");
}
