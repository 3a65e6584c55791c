using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using RabbitMQ.Client;
using WebIde.ServiceDefaults.Encryption;
using WebIde.Tests.Shared;

// Outside the WebIde.IntegrationTests namespace on purpose: these need the Docker engine and the
// images `./webide images` builds, not the platform, so running them alone does not boot it.
namespace WebIde.DeploymentTests;

/// <summary>
/// The images of <c>deploy/images/images.txt</c> (docs/deploy-images.md), as a deployment runs
/// them: each exists at the release version and runs as a user other than root; Redis and
/// RabbitMQ start and take their credentials; every .NET service starts on a read-only root
/// filesystem as uid 10001 and answers <c>/alive</c>.
/// </summary>
[Category("Images")]
public sealed class ServiceImageTests
{
    private static readonly Uri Engine = new("unix:///var/run/docker.sock");
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);
    private const string Password = "images-test-0f3c9a";
    private const string ServiceUser = "10001:10001";
    private const string DaemonUser = "999";
    private static readonly string[] DiscoveredServices = ["identity", "filesystem", "execution", "collaboration-1", "collaboration-2"];

    /// <summary>Where the services find the content key ring (a Secret in Kubernetes, mounted read-only).</summary>
    private const string KeyRingFolder = "/etc/webide/keys";

    private DockerClient _docker = null!;
    private readonly List<string> _containers = [];
    private readonly List<string> _networks = [];
    private string? _keyRing;

    public static IEnumerable<PlatformImage> Images => PlatformImage.Listed();

    public static IEnumerable<PlatformImage> ServiceImages => PlatformImage.Listed().Where(image => image.IsDotnetService);

    [SetUp]
    public void ConnectToTheEngine() => _docker = new DockerClientConfiguration(Engine).CreateClient();

    [TearDown]
    public async Task RemoveWhatWasMade()
    {
        foreach (var id in _containers)
        {
            try
            {
                await _docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true });
            }
            catch (DockerContainerNotFoundException)
            {
            }
        }
        foreach (var id in _networks)
        {
            try
            {
                await _docker.Networks.DeleteNetworkAsync(id);
            }
            catch (DockerNetworkNotFoundException)
            {
            }
        }
        // NUnit runs every case on one instance of the class: the next case starts with none of these.
        _containers.Clear();
        _networks.Clear();
        _docker.Dispose();
        if (_keyRing is not null)
        {
            Directory.Delete(_keyRing, recursive: true);
            _keyRing = null;
        }
    }

    [TestCaseSource(nameof(Images))]
    public async Task TheImageExistsAtTheReleaseVersionAndRunsAsAUserOtherThanRoot(PlatformImage image)
    {
        var inspected = await InspectAsync(image);

        var user = inspected.Config.User ?? "";
        var name = user.Split(':')[0];
        Assert.That(name, Is.Not.Empty.And.Not.EqualTo("root").And.Not.EqualTo("0"), $"{image.Tag} runs as '{user}'");
        if (image.Kind == "runner")
        {
            // deploy/runner/build.sh's own tag, the one the platform runs sandboxes in, is the same image.
            var current = await _docker.Images.InspectImageAsync(RunnerImage.Tag);
            Assert.That(inspected.ID, Is.EqualTo(current.ID), $"{image.Tag} is {RunnerImage.Tag}");
        }
        else
        {
            var labels = inspected.Config.Labels ?? new Dictionary<string, string>();
            Assert.That(labels.TryGetValue("org.opencontainers.image.version", out var version) ? version : null, Is.EqualTo(image.Version), $"{image.Tag}'s version label");
        }
    }

    [Test]
    public async Task RedisAnswersOnlyWithItsPassword()
    {
        var network = await CreateNetworkAsync();
        var redis = await StartRedisAsync(network);

        var withoutPassword = await WaitForRedisAsync(redis, null);
        var withPassword = await RedisRoundTripAsync(redis, Password);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(withoutPassword, Does.StartWith("-NOAUTH"), "PING without the password");
            Assert.That(withPassword, Does.Contain("+PONG"), "AUTH then PING");
        }
    }

    [Test]
    public async Task RabbitMqTakesAnAmqpConnectionAsItsUserAndRefusesGuest()
    {
        var network = await CreateNetworkAsync();
        var broker = await StartRabbitMqAsync(network);

        await using var connection = await WaitForAmqpAsync(broker, "webide", Password);
        var guest = new ConnectionFactory { HostName = broker, UserName = "guest", Password = "guest" };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(connection.IsOpen, Is.True, "an AMQP connection as webide");
            Assert.That(async () => await guest.CreateConnectionAsync(), Throws.InstanceOf<Exception>(), "guest does not exist");
        }
    }

    [TestCaseSource(nameof(ServiceImages))]
    public async Task TheServiceStartsOnAReadOnlyRootAsItsUserAndAnswersAlive(PlatformImage image)
    {
        var network = await CreateNetworkAsync();
        var redis = await StartRedisAsync(network);
        var broker = await StartRabbitMqAsync(network);
        await WaitForRedisAsync(redis, Password);
        await (await WaitForAmqpAsync(broker, "webide", Password)).DisposeAsync();

        var service = await StartAsync(image.Tag, network, ServiceUser, ServiceEnvironment(image, redis, broker), dataOwner: null, binds: [$"{await KeyRingAsync()}:{KeyRingFolder}:ro"]);

        var (status, body) = await WaitForAliveAsync(service);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), $"{image.Tag} /alive: {body}\n{await LogsAsync(service)}");
    }

    /// <summary>
    /// What every service needs to start, as the AppHost gives it: its dependencies' addresses and
    /// credentials, the key ring, its client credentials and the other services' addresses (by
    /// name; none is called before a request needs it).
    /// </summary>
    private static Dictionary<string, string> ServiceEnvironment(PlatformImage image, string redis, string broker)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__redis"] = $"{redis}:6379,password={Password}",
            ["ConnectionStrings__rabbitmq"] = $"amqp://webide:{Password}@{broker}:5672",
            ["ConnectionStrings__store"] = $"Data Source=/tmp/{image.Name}.db",
            ["WebIde__Encryption__KeyRingFile"] = $"{KeyRingFolder}/content-keys.json",
            ["ServiceClient__Id"] = image.Name["webide-".Length..],
            ["ServiceClient__Secret"] = Password,
            ["OTEL_SDK_DISABLED"] = "true",
            // Execution's sandboxes: checked by /health (through the Docker gate), not by /alive.
            ["Sandbox__RunnerImage"] = Tag("webide-runner"),
            ["Sandbox__Installation"] = "webide-images-test",
            ["Sandbox__DockerEndpoint"] = "unix:///tmp/docker-gate/docker.sock",
        };
        foreach (var service in DiscoveredServices)
        {
            environment[$"services__{service}__http__0"] = $"http://{service}:8080";
            environment[$"services__{service}__grpc__0"] = $"http://{service}:8081";
        }
        return environment;
    }

    /// <summary>A fresh content key ring in a folder of the services' user alone, as the services demand of it.</summary>
    private async Task<string> KeyRingAsync()
    {
        _keyRing = Directory.CreateTempSubdirectory("webide-images-test-keys-").FullName;
        KeyRingFile.CreateIfMissing(Path.Combine(_keyRing, "content-keys.json"), DateTimeOffset.UtcNow);
        using var chown = Process.Start("chown", ["-R", ServiceUser, _keyRing]);
        await chown.WaitForExitAsync();
        Assert.That(chown.ExitCode, Is.Zero, $"chown {ServiceUser} {_keyRing} (the tests run as root)");
        return _keyRing;
    }

    private async Task<ImageInspectResponse> InspectAsync(PlatformImage image)
    {
        try
        {
            return await _docker.Images.InspectImageAsync(image.Tag);
        }
        catch (DockerImageNotFoundException)
        {
            Assert.Fail($"{image.Tag} does not exist: ./webide images builds it");
            throw;
        }
    }

    private async Task<string> CreateNetworkAsync()
    {
        var created = await _docker.Networks.CreateNetworkAsync(new NetworksCreateParameters { Name = $"webide-images-test-{Guid.NewGuid():N}" });
        _networks.Add(created.ID);
        return created.ID;
    }

    private Task<string> StartRedisAsync(string network) =>
        StartAsync(Tag("webide-redis"), network, DaemonUser, new() { ["REDIS_PASSWORD"] = Password }, dataOwner: DaemonUser);

    private Task<string> StartRabbitMqAsync(string network) =>
        StartAsync(Tag("webide-rabbitmq"), network, DaemonUser, new() { ["RABBITMQ_DEFAULT_PASS"] = Password }, dataOwner: DaemonUser);

    private static string Tag(string name) => PlatformImage.Listed().Single(image => image.Name == name).Tag;

    /// <summary>
    /// Starts the image with a read-only root filesystem, no capabilities, /tmp in memory and, for
    /// a daemon that keeps state, /data in memory owned by <paramref name="dataOwner"/>; returns
    /// its address on the network.
    /// </summary>
    private async Task<string> StartAsync(string image, string network, string user, Dictionary<string, string> environment, string? dataOwner, IList<string>? binds = null)
    {
        var tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,nosuid,nodev,size=64m" };
        if (dataOwner is not null)
        {
            tmpfs["/data"] = $"rw,nosuid,nodev,size=256m,uid={dataOwner},gid={dataOwner},mode=0700";
        }
        var created = await _docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = $"webide-images-test-{Guid.NewGuid():N}",
            Image = image,
            User = user,
            Env = [.. environment.Select(variable => $"{variable.Key}={variable.Value}")],
            Labels = new Dictionary<string, string> { ["webide.test"] = "images" },
            HostConfig = new HostConfig
            {
                NetworkMode = network,
                ReadonlyRootfs = true,
                Tmpfs = tmpfs,
                Binds = binds,
                CapDrop = ["ALL"],
                SecurityOpt = ["no-new-privileges"],
            },
        });
        _containers.Add(created.ID);
        await _docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        var inspected = await _docker.Containers.InspectContainerAsync(created.ID);
        return inspected.NetworkSettings.Networks.Values.Single().IPAddress;
    }

    private async Task<string> LogsAsync(string address)
    {
        var container = await ContainerAtAsync(address);
        using var stream = await _docker.Containers.GetContainerLogsAsync(container, tty: false, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = "60" });
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(CancellationToken.None);
        return stdout + stderr;
    }

    private async Task<string> ContainerAtAsync(string address)
    {
        foreach (var id in _containers)
        {
            var inspected = await _docker.Containers.InspectContainerAsync(id);
            if (inspected.NetworkSettings.Networks.Values.Any(network => network.IPAddress == address))
            {
                return id;
            }
        }
        throw new InvalidOperationException($"no container at {address}");
    }

    /// <summary>PING (after AUTH when a password is given), retried until Redis answers or the deadline passes.</summary>
    private async Task<string> WaitForRedisAsync(string redis, string? password)
    {
        var deadline = DateTime.UtcNow + StartDeadline;
        while (true)
        {
            try
            {
                var reply = await RedisRoundTripAsync(redis, password);
                if (reply.Length > 0)
                {
                    return reply;
                }
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"Redis did not answer within {StartDeadline}: {await LogsAsync(redis)}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    private static async Task<string> RedisRoundTripAsync(string redis, string? password)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Parse(redis), 6379);
        var stream = client.GetStream();
        var commands = (password is null ? "" : $"AUTH {password}\r\n") + "PING\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(commands));
        var expectedLines = password is null ? 1 : 2;
        var received = new StringBuilder();
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (received.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length < expectedLines)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        return received.ToString();
    }

    /// <summary>An AMQP connection, retried until the broker takes it or the deadline passes (it boots in several seconds).</summary>
    private async Task<IConnection> WaitForAmqpAsync(string broker, string user, string password)
    {
        var factory = new ConnectionFactory { HostName = broker, UserName = user, Password = password };
        var deadline = DateTime.UtcNow + StartDeadline;
        while (true)
        {
            try
            {
                return await factory.CreateConnectionAsync();
            }
            catch (RabbitMQ.Client.Exceptions.BrokerUnreachableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
            catch (RabbitMQ.Client.Exceptions.BrokerUnreachableException)
            {
                Assert.Fail($"RabbitMQ took no connection within {StartDeadline}: {await LogsAsync(broker)}");
                throw;
            }
        }
    }

    /// <summary>GET /alive until it answers (any status) or the deadline passes; the last answer or error.</summary>
    private async Task<(HttpStatusCode? Status, string Body)> WaitForAliveAsync(string service)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartDeadline;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://{service}:8080/alive"));
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            }
            catch (HttpRequestException exception)
            {
                last = exception.Message;
            }
            catch (TaskCanceledException exception)
            {
                last = exception.Message;
            }
            var container = await ContainerAtAsync(service);
            if (!(await _docker.Containers.InspectContainerAsync(container)).State.Running)
            {
                return (null, $"the container stopped ({last})");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
        return (null, $"no answer within {StartDeadline} ({last})");
    }
}
