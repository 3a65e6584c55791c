using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebIde.IntegrationTests.Collaboration.Protocol;
using WebIde.IntegrationTests.Files;
using WebIde.Tests.Shared;

namespace WebIde.IntegrationTests;

/// <summary>
/// Boots the whole platform once for every integration test (one boot costs tens of seconds
/// here): the real AppHost in local mode, on ports of its own and a data folder of its own, so
/// a running <c>./webide up</c> is not disturbed.
/// </summary>
[SetUpFixture]
public sealed class Platform
{
    public static readonly TimeSpan BootDeadline = TimeSpan.FromMinutes(6);

    private static DistributedApplication? _app;
    private static string? _dataDir;

    public static DistributedApplication App => _app ?? throw new InvalidOperationException("The platform has not booted.");

    public static string RepositoryRoot => Checkout.Root;

    /// <summary>
    /// The installation the platform's sandboxes are labelled with: the checkout's, not this
    /// boot's data folder, so <c>./webide</c>'s cleanup removes what the tests leave behind.
    /// </summary>
    public static string Installation => Checkout.Installation;

    /// <summary>The data folder of this boot: the services' SQLite files are under it.</summary>
    public static string DataDir => _dataDir ?? throw new InvalidOperationException("The platform has not booted.");

    /// <summary>
    /// The user the services and the gateway run as (<c>WEBIDE_TEST_SERVICE_USER</c>, set by <c>./webide test</c>'s TLS
    /// pass), or null when they run as the test runner's own user. The boot's data folder is a temp folder of the
    /// runner's; the AppHost lets that user through it to its own folders, as it does under <c>./webide up</c>.
    /// </summary>
    public static string? ServiceUser { get; } = Environment.GetEnvironmentVariable("WEBIDE_TEST_SERVICE_USER") is { Length: > 0 } user ? user : null;

    /// <summary>The one peer the gateway believes about the client (<c>X-Forwarded-For</c>); no other test client has it.</summary>
    public static readonly IPAddress TrustedProxy = new([127, 0, 0, 254]);

    /// <summary>How long a user's container waits idle for their next run before it is removed.</summary>
    public static readonly TimeSpan UserSandboxIdle = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How many instances of each service and of the gateway the run boots (<c>WEBIDE_TEST_SCALE</c>, set by
    /// <c>./webide test --scale N</c>); every test passes against any of them.
    /// </summary>
    public static int Scale { get; } = int.TryParse(Environment.GetEnvironmentVariable("WEBIDE_TEST_SCALE"), out var scale) && scale > 1 ? scale : 1;

    /// <summary>Names of every resource the AppHost declares in local mode, each instance of each service included.</summary>
    public static readonly string[] Resources =
    [
        "redis", "rabbitmq-epmd", "rabbitmq", "docker-gate",
        .. Instances("identity"), .. Instances("filesystem"), .. Instances("execution"), .. Instances("gateway"),
        .. Enumerable.Range(1, Math.Max(2, Scale)).Select(number => $"collaboration-{number}"),
    ];

    private static IEnumerable<string> Instances(string service) =>
        Enumerable.Range(1, Scale).Select(number => number == 1 ? service : $"{service}-{number}");

    [OneTimeSetUp]
    public async Task BootAsync()
    {
        using var deadline = new CancellationTokenSource(BootDeadline);
        _dataDir = Directory.CreateTempSubdirectory("webide-tests-").FullName;

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.WebIde_AppHost>(
            [
                "--WebIde:Mode=local",
                "--WebIde:HttpPort=0",
                "--WebIde:GrpcPort=0",
                $"--WebIde:DataDir={_dataDir}",
                $"--WebIde:Installation={Installation}",
                // Quotas small enough to reach in a test; the file limit stays the documented one (docs/api.md §3).
                $"--WebIde:FileSystem:Limits:MaxWorkspaceBytes={FileQuota.WorkspaceBytes}",
                $"--WebIde:FileSystem:Limits:MaxWorkspaceEntries={FileQuota.WorkspaceEntries}",
                $"--WebIde:FileSystem:Limits:MaxAccountBytes={FileQuota.AccountBytes}",
                $"--WebIde:FileSystem:Events:Heartbeat={FileQuota.Heartbeat}",
                // A user's idle containers go within seconds, so the abuse suite can see every one of its containers gone.
                $"--WebIde:Execution:Pool:UserIdleTimeout={UserSandboxIdle:c}",
                // Short enough that a test sees history trimmed; long enough for every resume the tests make.
                $"--WebIde:Collaboration:History={CollabHistory.Kept:c}",
                // One address stands for a TLS proxy in front of the gateway (docs/api.md §0, "Behind a proxy").
                $"--WebIde:ForwardedHeaders:TrustedProxies:0={TrustedProxy}",
                // HTTPS, WSS and gRPC over TLS with the platform's own CA (docs/api.md §7), when the run asks for it.
                .. GatewayTls.Enabled ? ["--WebIde:Tls:Enabled=true"] : Array.Empty<string>(),
                // The services and the gateway as a user of their own (./webide up --production), when the run asks for it.
                .. ServiceUser is { } user ? [$"--WebIde:ServiceUser={user}"] : Array.Empty<string>(),
                $"--WebIde:Scale={Scale}",
                // The tests that kill an instance measure the others taking over, and bring it back
                // themselves: one the AppHost started again a second later would take its workspaces
                // back mid-measurement (`./webide up` keeps it on; its unit tests cover it).
                "--WebIde:RestartOnExit=false",
            ],
            (options, _) => options.DisableDashboard = true,
            deadline.Token);

        // With no dashboard to receive it, each service's final telemetry flush would hold
        // its shutdown for ~12 s.
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            project.Annotations.Add(new EnvironmentCallbackAnnotation(environment => environment.EnvironmentVariables["OTEL_SDK_DISABLED"] = "true"));
        }

        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Warning)
            .AddFilter("WebIde.AppHost.Resources", LogLevel.Warning)
            .AddSimpleConsole(console => console.SingleLine = true));

        _app = await builder.BuildAsync(deadline.Token);
        _ = ReportProgressAsync(_app, deadline.Token);
        await _app.StartAsync(deadline.Token);
        try
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", deadline.Token);
        }
        catch (DistributedApplicationException)
        {
            await ReportFailuresAsync(_app);
            throw;
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_dataDir is not null)
        {
            try
            {
                Directory.Delete(_dataDir, recursive: true);
            }
            catch (IOException)
            {
                // The orchestrator may still be stopping a process that holds a file; the
                // folder is in the temp directory and harmless.
            }
        }
    }

    /// <summary>A boot takes a while here: each resource's state changes are shown as they happen.</summary>
    private static async Task ReportProgressAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var seen = new Dictionary<string, string>();
        try
        {
            await foreach (var change in app.ResourceNotifications.WatchAsync(cancellationToken))
            {
                var state = $"{change.Snapshot.State?.Text} {change.Snapshot.HealthStatus}".Trim();
                if (seen.GetValueOrDefault(change.Resource.Name) != state)
                {
                    seen[change.Resource.Name] = state;
                    await TestContext.Progress.WriteLineAsync($"[platform] {change.Resource.Name}: {state}");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The boot deadline ended the watch; boot itself reports whether it made it.
        }
    }

    /// <summary>When the boot fails, the last lines of every resource that did not come up tell why.</summary>
    private static async Task ReportFailuresAsync(DistributedApplication app)
    {
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var name in Resources.Append("runner-image"))
        {
            if (!app.ResourceNotifications.TryGetCurrentState(name, out var current) || current.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
            {
                continue;
            }

            await TestContext.Progress.WriteLineAsync($"[platform] {name} is {current.Snapshot.State?.Text} (exit code {current.Snapshot.ExitCode}); its last output:");
            var lines = new List<string>();
            await foreach (var batch in logs.GetAllAsync(name))
            {
                lines.AddRange(batch.Select(line => line.Content));
            }
            foreach (var line in lines.TakeLast(40))
            {
                await TestContext.Progress.WriteLineAsync($"  {name}| {line}");
            }
        }
    }

    private static int _lastClientAddress = 1;

    /// <summary>
    /// A client of the gateway as if from a machine of its own: each connects from another
    /// loopback address (127.0.0.2, .3, …), so limits that count per client address (failed
    /// logins) do not carry over from one test to the next.
    /// </summary>
    /// <param name="cookies">False for a test that sends and reads its cookies itself.</param>
    public static HttpClient CreateGatewayClient(bool cookies = true)
    {
        var octet = 2 + (Interlocked.Increment(ref _lastClientAddress) % 250);
        return CreateGatewayClient(new IPAddress([127, 0, 0, (byte)octet]), cookies);
    }

    /// <summary>A client of the gateway connecting from <paramref name="from"/>, a loopback address.</summary>
    public static HttpClient CreateGatewayClient(IPAddress from, bool cookies = true)
    {
        var handler = new SocketsHttpHandler
        {
            UseCookies = cookies,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler.Trusting()) { BaseAddress = GatewayAddress };
    }

    /// <summary>The gateway's HTTP port: <c>https://</c> when the run is under TLS (<see cref="GatewayTls"/>).</summary>
    public static Uri GatewayAddress => App.GetEndpoint("gateway", "http");

    /// <summary>A WebSocket of the gateway: <c>wss://</c> when the run is under TLS.</summary>
    public static Uri GatewaySocketAddress(string pathAndQuery) =>
        new(new UriBuilder(GatewayAddress) { Scheme = GatewayAddress.Scheme == Uri.UriSchemeHttps ? Uri.UriSchemeWss : Uri.UriSchemeWs }.Uri, pathAndQuery);

    public static Uri GrpcAddress => App.GetEndpoint("gateway", "grpc");
}
