namespace WebIde.AppHost.Platform;

public enum InfrastructureMode
{
    /// <summary>Redis and RabbitMQ as local processes, each service's store an embedded SQLite file.</summary>
    Local,

    /// <summary>Redis, RabbitMQ and MongoDB as containers, for machines that can pull images.</summary>
    Containers,
}
