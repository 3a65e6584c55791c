using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WebIde.AppHost.Platform;
using WebIde.ServiceDefaults.Files;

namespace WebIde.AppHost.Infrastructure;

public static class InfrastructureExtensions
{
    private const string RabbitMqLibrary = "/usr/lib/rabbitmq/lib";

    /// <summary>RabbitMQ's user for operators and tests (the dashboard's connection string); the services have their own.</summary>
    public const string OperatorUser = "webide";

    /// <summary>
    /// Redis: collaboration's operation log, caches, revocations and rate limits. It asks for the
    /// installation's password, holds at most <see cref="RedisMemoryLimit"/> and evicts nothing,
    /// and appends every write to its log on disk.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddCache(this IDistributedApplicationBuilder builder, string name, PlatformSettings settings)
    {
        var passwordName = $"{name}-password";
        var password = builder.AddInstallationSecret(settings.Secrets(), passwordName);
        // An acked operation is one Redis has written to its append-only file (docs/platform.md, "Acks and
        // resends"): written before Redis answers, it survives kill -9 or SIGTERM of Redis and a restart;
        // fsync'ed each second, only losing the machine can lose the last second. Said here, not left to the default.
        string[] bounds = ["--appendonly", "yes", "--appendfsync", "everysec", "--maxmemory", RedisMemoryLimit.From(builder.Configuration), "--maxmemory-policy", RedisMemoryLimit.Policy];

        if (settings.Mode == InfrastructureMode.Containers)
        {
            // Aspire's Redis (the password as its parameter) runs `sh -c "redis-server …"` when
            // published and hands the words over one by one when run: ours follow its own.
            return builder.AddRedis(name, password: password).WithDataVolume()
                .WithArgs(context =>
                {
                    if (context.ExecutionContext.IsRunMode)
                    {
                        foreach (var argument in bounds)
                        {
                            context.Args.Add(argument);
                        }
                    }
                    else
                    {
                        context.Args[^1] = $"{context.Args[^1]} {string.Join(' ', bounds)}";
                    }
                });
        }

        // Reached directly, not through the orchestrator's proxy: every keystroke's append
        // crosses this connection, and the proxy doubled its cost (docs/benchmarks.md).
        var dataFolder = settings.DataFolder(name);
        var secret = settings.Secrets().Get(passwordName);
        var configFile = Path.Combine(dataFolder, LocalRedisResource.ConfigFileName);
        OwnerOnlyFiles.WriteSecret(configFile, $"requirepass {secret}\n");
        var redis = new LocalRedisResource(name, dataFolder, password.Resource);
        var port = LoopbackPorts.Free();
        return builder.AddResource(redis)
            .WithEndpoint(port: port, targetPort: port, name: LocalRedisResource.EndpointName, scheme: "tcp", isProxied: false)
            .WithArgs(context =>
            {
                context.Args.Add(configFile);
                context.Args.Add("--port");
                context.Args.Add(redis.Endpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--dir");
                context.Args.Add(dataFolder);
                foreach (var argument in bounds)
                {
                    context.Args.Add(argument);
                }
                context.Args.Add("--save");
                context.Args.Add("");
            })
            // Up when it takes the password and answers: AUTH then PING, pipelined.
            .WithProtocolProbe(redis.Endpoint, [.. RespCommand("AUTH", secret), .. RespCommand("PING")], reply => reply.Span.IndexOf("+PONG"u8) >= 0);
    }

    /// <summary>
    /// RabbitMQ: the integration events between the services. Never with <c>guest</c>: in the
    /// <c>local</c> mode each service connects as a user of its own (<see cref="WithOwnBrokerUser"/>),
    /// in the <c>containers</c> mode all as the installation's one user.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddMessageBroker(this IDistributedApplicationBuilder builder, string name, PlatformSettings settings)
    {
        var secrets = settings.Secrets();
        if (settings.Mode == InfrastructureMode.Containers)
        {
            return builder.AddRabbitMQ(
                    name,
                    userName: builder.AddParameter($"{name}-user", OperatorUser),
                    password: builder.AddInstallationSecret(secrets, $"{name}-{OperatorUser}-password"))
                .WithDataVolume();
        }

        var dataFolder = settings.DataFolder(name);
        var home = Directory.CreateDirectory(Path.Combine(dataFolder, "home")).FullName;
        var pluginsFile = Path.Combine(dataFolder, "enabled_plugins");
        File.WriteAllText(pluginsFile, "[].\n");
        var configFile = Path.Combine(dataFolder, "rabbitmq.conf");
        var operatorUser = new BrokerUser(OperatorUser, builder.AddInstallationSecret(secrets, $"{name}-{OperatorUser}-password").Resource);
        var broker = new LocalRabbitMqResource(name, FindBrokerScript(), dataFolder, secrets, operatorUser);
        File.WriteAllText(configFile, $"""
            log.console = true
            log.console.level = info
            log.file = false
            definitions.import_backend = local_filesystem
            definitions.local.path = {broker.DefinitionsFile}

            """);
        // Every service has added its user by the time the platform starts.
        builder.Eventing.Subscribe<BeforeStartEvent>((_, cancellationToken) => broker.WriteDefinitionsAsync(cancellationToken));

        // The orchestrator resolves a target port only for the resource that owns it, so epmd
        // gets a port picked here, unproxied, that the broker can be told before either starts.
        var epmdPort = LoopbackPorts.Free();
        var epmd = new EpmdResource($"{name}-epmd", dataFolder);
        var epmdBuilder = builder.AddResource(epmd)
            .WithEndpoint(port: epmdPort, targetPort: epmdPort, scheme: "tcp", name: EpmdResource.EndpointName, isProxied: false)
            .WithArgs("-address", "127.0.0.1", "-port", epmdPort.ToString(CultureInfo.InvariantCulture))
            // NAMES_REQ: a two-byte length, then 'n'; epmd answers with its own port first.
            .WithProtocolProbe(epmd.Endpoint, [0, 1, (byte)'n'], reply => reply.Length >= 4);

        // The broker is reached directly too: every file change crosses it as an event (the
        // collaboration service's snapshots alone make one per edited document a second), and
        // the orchestrator's proxy was a fifth process copying each of them.
        var amqpPort = LoopbackPorts.Free();
        var distributionPort = LoopbackPorts.Free();
        return builder.AddResource(broker)
            .WithEndpoint(port: amqpPort, targetPort: amqpPort, name: LocalRabbitMqResource.AmqpEndpointName, scheme: "tcp", isProxied: false)
            .WithEndpoint(port: distributionPort, targetPort: distributionPort, name: LocalRabbitMqResource.DistributionEndpointName, scheme: "tcp", isProxied: false)
            .WithEnvironment("HOME", home)
            .WithEnvironment("RABBITMQ_NODENAME", LocalRabbitMqResource.NodeName)
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
            .WithoutGuestUser(home, epmdPort)
            // The AMQP 0-9-1 protocol header; a broker that is up answers with Connection.Start, a method frame (type 1).
            .WithProtocolProbe(broker.Amqp, "AMQP\0\0\u0009\u0001"u8.ToArray(), reply => reply.Span[0] == 1);
    }

    /// <summary>
    /// The service connects to the local broker as a user named after it, with a password of
    /// its own: what one service's credentials can do is then its own to show in the broker's
    /// connections, and a leaked one can be changed alone.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithOwnBrokerUser(this IResourceBuilder<ProjectResource> service, LocalRabbitMqResource broker)
    {
        var name = service.Resource.Name;
        var user = broker.User(name, () => service.ApplicationBuilder.AddInstallationSecret(broker.Secrets, $"{broker.Name}-{name}-password").Resource);
        return service.WithEnvironment($"ConnectionStrings__{broker.Name}", broker.ConnectionStringFor(user));
    }

    /// <summary>
    /// MongoDB, the store of the <c>containers</c> mode; the <c>local</c> mode has none (SQLite
    /// files instead). Its root user and password are the installation's.
    /// </summary>
    public static IResourceBuilder<MongoServerResource>? AddDocumentStore(this IDistributedApplicationBuilder builder, string name, PlatformSettings settings)
    {
        if (settings.Mode != InfrastructureMode.Containers)
        {
            return null;
        }
        var password = builder.AddInstallationSecret(settings.Secrets(), $"{name}-password");
        return builder.AddResource(new MongoServerResource(name, password.Resource))
            .WithImage("library/mongo", "8.0")
            .WithImageRegistry("docker.io")
            .WithEndpoint(name: MongoServerResource.EndpointName, targetPort: 27017, scheme: "tcp")
            .WithEnvironment("MONGO_INITDB_ROOT_USERNAME", MongoServerResource.RootUser)
            .WithEnvironment("MONGO_INITDB_ROOT_PASSWORD", password)
            .WithVolume($"{name}-data", "/data/db");
    }

    private static IResourceBuilder<T> WithProtocolProbe<T>(this IResourceBuilder<T> resource, EndpointReference endpoint, byte[] request, Func<ReadOnlyMemory<byte>, bool> isExpectedReply)
        where T : IResource
    {
        var key = $"{resource.Resource.Name}-probe";
        resource.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            key, _ => ProtocolProbeHealthCheck.Tcp(endpoint, request, isExpectedReply), HealthStatus.Unhealthy, tags: null));
        return resource.WithHealthCheck(key);
    }

    /// <summary>A Redis command as RESP, the protocol's array of bulk strings.</summary>
    private static byte[] RespCommand(params string[] words) =>
        System.Text.Encoding.UTF8.GetBytes($"*{words.Length}\r\n{string.Concat(words.Select(word => $"${System.Text.Encoding.UTF8.GetByteCount(word)}\r\n{word}\r\n"))}");

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
