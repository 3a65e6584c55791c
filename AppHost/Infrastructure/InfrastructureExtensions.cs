using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WebIde.AppHost.Platform;

namespace WebIde.AppHost.Infrastructure;

public static class InfrastructureExtensions
{
    private const string RabbitMqLibrary = "/usr/lib/rabbitmq/lib";

    /// <summary>Redis: collaboration's operation log, caches, revocations and rate limits.</summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddCache(this IDistributedApplicationBuilder builder, string name, PlatformSettings settings)
    {
        if (settings.Mode == InfrastructureMode.Containers)
        {
            return builder.AddRedis(name).WithDataVolume().WithPersistence();
        }

        // Reached directly, not through the orchestrator's proxy: every keystroke's append
        // crosses this connection, and the proxy doubled its cost (docs/benchmarks.md).
        var dataFolder = settings.DataFolder(name);
        var redis = new LocalRedisResource(name, dataFolder);
        var port = FreeLoopbackPort();
        return builder.AddResource(redis)
            .WithEndpoint(port: port, targetPort: port, name: LocalRedisResource.EndpointName, scheme: "tcp", isProxied: false)
            .WithArgs(context =>
            {
                context.Args.Add("--port");
                context.Args.Add(redis.Endpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--dir");
                context.Args.Add(dataFolder);
                context.Args.Add("--appendonly");
                context.Args.Add("yes");
                context.Args.Add("--save");
                context.Args.Add("");
            })
            .WithProtocolProbe(redis.Endpoint, "PING\r\n"u8.ToArray(), reply => reply.Span.StartsWith("+PONG"u8));
    }

    /// <summary>RabbitMQ: the integration events between the services.</summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddMessageBroker(this IDistributedApplicationBuilder builder, string name, PlatformSettings settings)
    {
        if (settings.Mode == InfrastructureMode.Containers)
        {
            return builder.AddRabbitMQ(name).WithDataVolume();
        }

        var dataFolder = settings.DataFolder(name);
        var home = Directory.CreateDirectory(Path.Combine(dataFolder, "home")).FullName;
        var pluginsFile = Path.Combine(dataFolder, "enabled_plugins");
        File.WriteAllText(pluginsFile, "[].\n");
        var configFile = Path.Combine(dataFolder, "rabbitmq.conf");
        File.WriteAllText(configFile, "log.console = true\nlog.console.level = info\nlog.file = false\n");

        // The orchestrator resolves a target port only for the resource that owns it, so epmd
        // gets a port picked here, unproxied, that the broker can be told before either starts.
        var epmdPort = FreeLoopbackPort();
        var epmd = new EpmdResource($"{name}-epmd", dataFolder);
        var epmdBuilder = builder.AddResource(epmd)
            .WithEndpoint(port: epmdPort, targetPort: epmdPort, scheme: "tcp", name: EpmdResource.EndpointName, isProxied: false)
            .WithArgs("-address", "127.0.0.1", "-port", epmdPort.ToString(CultureInfo.InvariantCulture))
            // NAMES_REQ: a two-byte length, then 'n'; epmd answers with its own port first.
            .WithProtocolProbe(epmd.Endpoint, [0, 1, (byte)'n'], reply => reply.Length >= 4);

        // The broker is reached directly too: every file change crosses it as an event (the
        // collaboration service's snapshots alone make one per edited document a second), and
        // the orchestrator's proxy was a fifth process copying each of them.
        var broker = new LocalRabbitMqResource(name, FindBrokerScript(), dataFolder);
        var amqpPort = FreeLoopbackPort();
        var distributionPort = FreeLoopbackPort();
        return builder.AddResource(broker)
            .WithEndpoint(port: amqpPort, targetPort: amqpPort, name: LocalRabbitMqResource.AmqpEndpointName, scheme: "tcp", isProxied: false)
            .WithEndpoint(port: distributionPort, targetPort: distributionPort, name: LocalRabbitMqResource.DistributionEndpointName, scheme: "tcp", isProxied: false)
            .WithEnvironment("HOME", home)
            .WithEnvironment("RABBITMQ_NODENAME", "webide@localhost")
            .WithEnvironment("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1")
            .WithEnvironment("RABBITMQ_NODE_PORT", broker.Amqp.Property(EndpointProperty.TargetPort))
            .WithEnvironment("RABBITMQ_DIST_PORT", broker.Distribution.Property(EndpointProperty.TargetPort))
            .WithEnvironment("ERL_EPMD_PORT", epmdPort.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_MNESIA_BASE", Path.Combine(dataFolder, "mnesia"))
            .WithEnvironment("RABBITMQ_LOG_BASE", Path.Combine(dataFolder, "log"))
            .WithEnvironment("RABBITMQ_LOGS", "-")
            .WithEnvironment("RABBITMQ_ENABLED_PLUGINS_FILE", pluginsFile)
            .WithEnvironment("RABBITMQ_CONFIG_FILE", Path.ChangeExtension(configFile, null))
            .WithEnvironment("RABBITMQ_PID_FILE", Path.Combine(dataFolder, "rabbitmq.pid"))
            .WithEnvironment("ERL_CRASH_DUMP", Path.Combine(dataFolder, "erl_crash.dump"))
            .WaitFor(epmdBuilder)
            // The AMQP 0-9-1 protocol header; a broker that is up answers with Connection.Start, a method frame (type 1).
            .WithProtocolProbe(broker.Amqp, "AMQP\0\0\u0009\u0001"u8.ToArray(), reply => reply.Span[0] == 1);
    }

    /// <summary>MongoDB, the store of the <c>containers</c> mode; the <c>local</c> mode has none (SQLite files instead).</summary>
    public static IResourceBuilder<MongoServerResource>? AddDocumentStore(this IDistributedApplicationBuilder builder, string name, PlatformSettings settings) =>
        settings.Mode == InfrastructureMode.Containers
            ? builder.AddResource(new MongoServerResource(name))
                .WithImage("library/mongo", "8.0")
                .WithImageRegistry("docker.io")
                .WithEndpoint(name: MongoServerResource.EndpointName, targetPort: 27017, scheme: "tcp")
                .WithVolume($"{name}-data", "/data/db")
            : null;

    private static IResourceBuilder<T> WithProtocolProbe<T>(this IResourceBuilder<T> resource, EndpointReference endpoint, byte[] request, Func<ReadOnlyMemory<byte>, bool> isExpectedReply)
        where T : IResource
    {
        var key = $"{resource.Resource.Name}-probe";
        resource.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            key, _ => new TcpProbeHealthCheck(endpoint, request, isExpectedReply), HealthStatus.Unhealthy, tags: null));
        return resource.WithHealthCheck(key);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindBrokerScript() =>
        Directory.Exists(RabbitMqLibrary)
            ? Directory.GetDirectories(RabbitMqLibrary, "rabbitmq_server-*")
                .Select(folder => Path.Combine(folder, "sbin", "rabbitmq-server"))
                .Where(File.Exists)
                .Order(StringComparer.Ordinal)
                .LastOrDefault() ?? throw MissingRabbitMq()
            : throw MissingRabbitMq();

    private static InvalidOperationException MissingRabbitMq() =>
        new($"RabbitMQ's broker script was not found under {RabbitMqLibrary}: install Debian's rabbitmq-server (./webide up does).");
}
