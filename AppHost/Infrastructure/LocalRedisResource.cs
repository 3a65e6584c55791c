namespace WebIde.AppHost.Infrastructure;

/// <summary>
/// Debian's <c>redis-server</c> as a local process, with append-only persistence under the data
/// folder and the installation's password, which every client's connection string carries.
/// </summary>
public sealed class LocalRedisResource(string name, string dataFolder, ParameterResource password)
    : ExecutableResource(name, "redis-server", dataFolder), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    /// <summary>
    /// The first argument: the configuration file that holds the password, so that it never
    /// appears on the command line (<c>ps</c> shows that to every user of the machine).
    /// </summary>
    public const string ConfigFileName = "redis.conf";

    public EndpointReference Endpoint => field ??= new(this, EndpointName);

    public ParameterResource Password => password;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Endpoint.Property(EndpointProperty.Host)}:{Endpoint.Property(EndpointProperty.Port)},password={Password}");
}
