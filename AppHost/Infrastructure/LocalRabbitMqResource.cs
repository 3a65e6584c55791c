namespace WebIde.AppHost.Infrastructure;

/// <summary>
/// Debian's RabbitMQ broker as a local process. Its own script is called directly because
/// Debian's wrapper switches to the rabbitmq user, which cannot write our data folder.
/// </summary>
public sealed class LocalRabbitMqResource(string name, string brokerScript, string dataFolder)
    : ExecutableResource(name, brokerScript, dataFolder), IResourceWithConnectionString
{
    public const string AmqpEndpointName = "amqp";
    public const string DistributionEndpointName = "dist";

    public EndpointReference Amqp => field ??= new(this, AmqpEndpointName);

    public EndpointReference Distribution => field ??= new(this, DistributionEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"amqp://guest:guest@{Amqp.Property(EndpointProperty.Host)}:{Amqp.Property(EndpointProperty.Port)}");
}
