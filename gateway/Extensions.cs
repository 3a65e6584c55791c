using WebIde.Gateway.Authentication;
using WebIde.Gateway.Health;
using WebIde.Gateway.Listening;
using WebIde.Gateway.Proxies;
using WebIde.Gateway.RateLimiting;
using WebIde.Gateway.Routing;
using WebIde.Gateway.WebApp;
using WebIde.ServiceDefaults.Authentication;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Transforms;

namespace WebIde.Gateway;

public static class Extensions
{
    /// <summary>The services behind the gateway, by the names the AppHost gives them.</summary>
    public static readonly string[] Services = ["identity", "filesystem", "collaboration-1", "collaboration-2", "execution"];

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformRedis();
        // The platform's one measurement of how full Redis is (an alert metric and a warning).
        builder.AddRedisMemoryMonitor();

        var proxy = builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver()
            .AddTransforms(transforms => transforms
                .AddRequestTransform(SocketTicketRedemption.RemoveTicketAsync)
                .AddRequestTransform(RawTargetForwarding.ApplyAsync));
        // The proxy's clients (requests, sockets, gRPC, its active health checks) are YARP's own, not the HTTP client
        // factory's: they trust the internal CA here, for destinations a deployment puts on HTTPS.
        if (builder.GetInternalCertificateAuthority() is { } authority)
        {
            proxy.ConfigureHttpClient((_, handler) => authority.Trust(handler));
        }
        // Named by the collaboration-sockets cluster: a workspace's sockets share one instance.
        builder.Services.AddSingleton<ILoadBalancingPolicy, WorkspaceAffinityPolicy>();
        // The passive check's threshold and window are options for every cluster (only
        // collaboration-sockets enables the check), not cluster metadata. With YARP's defaults it
        // judges a destination only after 10 requests in 60 s, and keeps it out 60 s whatever
        // ReactivationPeriod says; until then every socket of a dead instance's workspaces, which
        // affinity sends to it, fails. Judged from the first request over the last 5 s, the first
        // socket it refuses takes it out, for the cluster's 5 s.
        builder.Services.Configure<TransportFailureRateHealthPolicyOptions>(builder.Configuration.GetSection("TransportFailureRateHealthPolicy"));

        // Tokens are checked here to stop bad ones early and to know whom a request counts
        // against; each service decides itself what a caller may do.
        // A socket may bring a single-use ticket instead of its token (docs/api.md §7).
        builder.AddDefaultAuthentication(SocketTicketRedemption.Configure);
        builder.Services.AddSingleton<SocketTickets>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<RequestBudgetOptions>().Bind(builder.Configuration.GetSection(RequestBudgetOptions.Section));

        builder.AddSharedListenPorts();
        builder.AddTrustedProxies();
        builder.AddServiceHealthChecks(Services);
        builder.AddWebApp();
    }
}
