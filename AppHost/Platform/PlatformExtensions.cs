using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebIde.AppHost.Platform.Tls;
using WebIde.AppHost.Services;

namespace WebIde.AppHost.Platform;

public static class PlatformExtensions
{
    /// <summary>The mode shows in the dashboard as a parameter and is printed at start.</summary>
    public static void AddModeParameter(this IDistributedApplicationBuilder builder, PlatformSettings settings)
    {
        var mode = settings.Mode.ToString().ToLowerInvariant();
        builder.AddParameter("mode", mode);
        Console.WriteLine($"WebIde: {mode} mode, data in {settings.DataDir}");
    }

    /// <summary>
    /// The one public entry, as <see cref="PlatformSettings.Scale"/> gateways (<c>gateway</c>, <c>gateway-2</c>, …), each
    /// set up by <paramref name="configure"/>. Several share the public ports: each binds them with SO_REUSEPORT
    /// (<c>Gateway:ShareListenPorts</c>) and the kernel spreads new connections over them, so no proxy stands in
    /// front, each still sees the client's own address, and one that dies leaves the ports to the others.
    /// </summary>
    public static ServiceInstances AddGateway(
        this IDistributedApplicationBuilder builder,
        PlatformSettings settings,
        Func<IResourceBuilder<ProjectResource>, IResourceBuilder<ProjectResource>> configure)
    {
        const string name = "gateway";
        var instances = Enumerable.Range(1, settings.Scale).Select(number =>
        {
            var gateway = builder.AddProject<Projects.WebIde_Gateway>(ServiceExtensions.InstanceName(name, number, numberAll: false))
                .WithAnnotation(new ServiceInstanceAnnotation(name))
                .AsInstanceOf(name, numbered: false);
            if (settings.Scale > 1)
            {
                gateway.WithEnvironment("Gateway__ShareListenPorts", "true");
            }
            return configure(gateway);
        }).ToArray();
        return new ServiceInstances(name, instances);
    }

    /// <summary>
    /// The gateway's collaboration-sockets cluster lists every collaboration instance, so that a workspace's sockets go
    /// to the instance chosen among all of them. Its appsettings.json names the two that always run; beyond those,
    /// the whole list is handed to it.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithCollaborationDestinations(this IResourceBuilder<ProjectResource> gateway, ServiceInstances collaboration)
    {
        if (collaboration.Instances.Count <= 2)
        {
            return gateway;
        }
        foreach (var instance in collaboration.Instances)
        {
            var id = instance.Resource.Name;
            gateway.WithEnvironment($"ReverseProxy__Clusters__collaboration-sockets__Destinations__{id}__Address", $"https+http://{id}");
        }
        return gateway;
    }

    /// <summary>
    /// The gateway listens where docs/api.md §0 says (8080 and 8081 unless configured otherwise),
    /// itself rather than behind the orchestrator's proxy, so that it sees each client's own
    /// address: rate limits count per address. With TLS (§7) both ports serve it, under their
    /// names "http" and "grpc".
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPublicEndpoints(this IResourceBuilder<ProjectResource> gateway, PlatformSettings settings)
    {
        var scheme = settings.Tls is null ? "http" : "https";
        gateway
            .WithEndpoint("http", endpoint => Expose(endpoint, settings.HttpPort, scheme))
            .WithEndpoint("grpc", endpoint => Expose(endpoint, settings.GrpcPort, scheme));
        return settings.Tls is { } tls
            ? gateway.WithTls(tls, settings, healthEndpoint: "http", healthPath: "/health")
            : gateway.WithHttpHealthCheck("/health", endpointName: "http");
    }

    private static void Expose(EndpointAnnotation endpoint, int? port, string scheme)
    {
        endpoint.Port = port;
        endpoint.TargetPort = port;
        endpoint.IsProxied = false;
        endpoint.UriScheme = scheme;
    }

    /// <summary>
    /// The gateway's request budget can be raised for load tests:
    /// <c>WebIde__RequestBudget__PerUserPerMinute=… ./webide up</c>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithRequestBudget(this IResourceBuilder<ProjectResource> gateway, IConfiguration configuration) =>
        gateway.WithSettings(configuration, "WebIde:RequestBudget", "RequestBudget");

    /// <summary>
    /// Hands the AppHost's <paramref name="from"/> settings (from its command line or
    /// configuration) to the service as its <paramref name="to"/> section, so operators and
    /// tests tune a service from one place.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSettings(this IResourceBuilder<ProjectResource> service, IConfiguration configuration, string from, string to)
    {
        foreach (var (key, value) in configuration.GetSection(from).AsEnumerable(makePathsRelative: true))
        {
            if (value is not null)
            {
                service.WithEnvironment($"{to}__{key.Replace(":", "__", StringComparison.Ordinal)}", value);
            }
        }
        return service;
    }

    /// <summary>
    /// Extra gateway configuration for a test or benchmark (<c>./webide up --gateway-config FILE</c>,
    /// <c>WebIde:GatewayConfig</c>): a JSON file in the gateway's own configuration shape, handed
    /// to it key by key as environment variables, which take precedence over its appsettings.json.
    /// bench/collab/gateway-sharedb.json adds a YARP route and cluster this way; nothing in the
    /// gateway knows about it. Read once, at start.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithGatewayConfig(this IResourceBuilder<ProjectResource> gateway, PlatformSettings settings)
    {
        if (settings.GatewayConfig is null)
        {
            return gateway;
        }
        if (!File.Exists(settings.GatewayConfig))
        {
            throw new FileNotFoundException($"WebIde:GatewayConfig: {settings.GatewayConfig} does not exist.", settings.GatewayConfig);
        }

        var extra = new ConfigurationBuilder().AddJsonFile(settings.GatewayConfig, optional: false, reloadOnChange: false).Build();
        foreach (var (key, value) in extra.AsEnumerable())
        {
            if (value is not null)
            {
                gateway.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
            }
        }
        Console.WriteLine($"WebIde: extra gateway configuration from {settings.GatewayConfig}");
        return gateway;
    }

    public static IResourceBuilder<ProjectResource> WithWebApp(this IResourceBuilder<ProjectResource> gateway, PlatformSettings settings) =>
        gateway.WithEnvironment("WebApp__Root", settings.WebRoot);

    /// <summary>Once the gateway reports every service healthy, say where to go.</summary>
    public static IResourceBuilder<ProjectResource> AnnounceWhenReady(this IResourceBuilder<ProjectResource> gateway, PlatformSettings settings)
    {
        gateway.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(gateway.Resource, (ready, _) =>
        {
            var logger = ready.Services.GetRequiredService<ILoggerFactory>().CreateLogger("WebIde");
            logger.LogInformation(
                "WebIde is ready ({Mode} mode). IDE: {IdeUrl}  gRPC: {GrpcUrl}",
                settings.Mode.ToString().ToLowerInvariant(),
                gateway.GetEndpoint("http").Url,
                gateway.GetEndpoint("grpc").Url);
            return Task.CompletedTask;
        });
        return gateway;
    }
}
