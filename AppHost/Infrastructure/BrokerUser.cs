namespace WebIde.AppHost.Infrastructure;

/// <summary>A user of the local RabbitMQ, with full rights on its one virtual host.</summary>
public sealed record BrokerUser(string Name, ParameterResource Password);
