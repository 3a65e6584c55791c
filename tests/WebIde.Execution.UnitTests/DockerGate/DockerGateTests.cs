using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebIde.Execution.DockerGate;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.UnitTests.DockerGate;

/// <summary>
/// Execution's own Docker calls (the sandbox factory, the language versions, the sweeper's list,
/// the health check) made with the real Docker.DotNet client through the real gate, to a stand-in
/// engine: each goes through as execution sends it, and every other shape is refused with 403 in
/// the engine's error shape and never reaches the engine.
/// </summary>
public sealed class DockerGateTests
{
    private const string Installation = "/srv/webide/.data";
    private const string RunnerImage = "webide-runner:gate-test";

    private DirectoryInfo _folder = null!;
    private FakeDockerEngine _engine = null!;
    private WebApplication _gate = null!;
    private DockerClient _docker = null!;
    private ServiceProvider _metrics = null!;
    private string _gateSocket = null!;

    private SandboxOptions Sandbox => new() { RunnerImage = RunnerImage, Installation = Installation, DockerEndpoint = $"unix://{_gateSocket}" };

    [SetUp]
    public async Task StartTheGate()
    {
        _folder = Directory.CreateTempSubdirectory("gate-");
        _engine = new FakeDockerEngine(Path.Combine(_folder.FullName, "engine.sock"));
        _gateSocket = Path.Combine(_folder.FullName, "gate.sock");
        _gate = DockerGateHost.Build(
        [
            $"--DockerGate:Socket={_gateSocket}",
            $"--DockerGate:DockerEndpoint=unix://{_engine.SocketPath}",
            $"--DockerGate:Installation={Installation}",
            $"--DockerGate:AllowedImages:0={RunnerImage}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await DockerGateHost.StartAsync(_gate);
        _docker = new DockerClientConfiguration(new Uri($"unix://{_gateSocket}")).CreateClient();
        _metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
    }

    [TearDown]
    public async Task StopTheGate()
    {
        _docker.Dispose();
        await _gate.StopAsync();
        await _gate.DisposeAsync();
        await _engine.DisposeAsync();
        await _metrics.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void TheSocketOpensToItsOwnerAndGroupOnly() =>
        Assert.That(File.GetUnixFileMode(_gateSocket), Is.EqualTo(GateSocketPermissions.SocketMode));

    [Test]
    public async Task ASandboxIsCreatedAttachedStartedAndRemovedThroughTheGate()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var factory = new SandboxFactory(_docker, Options.Create(Sandbox), new SandboxMetrics(_metrics.GetRequiredService<IMeterFactory>()), TimeProvider.System, NullLogger<SandboxFactory>.Instance);

        var container = await factory.StartAsync(new SandboxShape(256L << 20), new Dictionary<string, string> { [SandboxLabels.Pool] = "true" }, TimeSpan.FromMinutes(5), deadline.Token);
        var lease = await container.BeginLeaseAsync();
        var sent = AgentFrame.File("main.py", "print('hi')"u8);
        await container.SendAsync(lease, [sent], deadline.Token);
        // The stand-in echoes stdin as stdout: the frame came through the gate both ways.
        var echoed = await container.ReadFrameAsync(deadline.Token);
        await container.DisposeAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(echoed?.Payload.ToArray(), Is.EqualTo(sent.Payload.ToArray()));
            Assert.That(_engine.Requests.Select(request => request.Split(' ', 2)[0] + " " + request.Split(' ', 2)[1].Split('?')[0].Split('/').Last()),
                Is.EqualTo(new[] { "POST create", $"GET json", "POST attach", "POST start", $"DELETE {container.Id}" }),
                "the create, then the gate's own look at the labels, then attach, start and remove");
            Assert.That(_engine.Containers, Is.Empty);
        }
    }

    [Test]
    public async Task TheLanguageVersionsAreReadFromAnUnstartedContainerThroughTheGate()
    {
        var versions = await new LanguageVersions(_docker, Options.Create(Sandbox)).AllAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(versions, Is.EqualTo(new Dictionary<string, string> { ["python"] = "3.11.2" }));
            Assert.That(_engine.Containers, Is.Empty, "the container is removed");
        }
    }

    [Test]
    public async Task TheSweepersListAndTheHealthCheckGoThrough()
    {
        var ours = _engine.Add(SandboxLabels.Owned(Installation));
        var containers = new SandboxContainers(_docker, Options.Create(Sandbox), NullLogger<SandboxContainers>.Instance);

        var listed = await containers.ListAsync([], CancellationToken.None);
        var removed = await containers.RemoveAsync(listed, CancellationToken.None);
        var health = await new DockerHealthCheck(_docker, Options.Create(Sandbox)).CheckHealthAsync(
            new HealthCheckContext { Registration = new HealthCheckRegistration("docker", _ => null!, HealthStatus.Unhealthy, null) });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(listed.Select(container => container.ID), Does.Contain(ours));
            Assert.That(removed, Is.EqualTo(1));
            Assert.That(health.Status, Is.EqualTo(HealthStatus.Healthy), health.Description);
        }
    }

    private static IEnumerable<TestCaseData> RefusedCalls()
    {
        yield return new TestCaseData((Func<IDockerClient, string, Task>)((docker, id) => docker.Exec.ExecCreateContainerAsync(id, new ContainerExecCreateParameters { Cmd = ["sh"] })), "/exec").SetName("an exec create");
        yield return new TestCaseData((Func<IDockerClient, string, Task>)((docker, _) => docker.System.GetSystemInfoAsync()), "/info").SetName("system info");
        yield return new TestCaseData((Func<IDockerClient, string, Task>)((docker, _) => docker.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = "alpine", Tag = "latest" }, null, new Progress<JSONMessage>())), "/images/create").SetName("an image pull");
        yield return new TestCaseData((Func<IDockerClient, string, Task>)((docker, _) => docker.Volumes.CreateAsync(new VolumesCreateParameters { Name = "loot" })), "/volumes").SetName("a volume create");
        yield return new TestCaseData((Func<IDockerClient, string, Task>)((docker, _) => docker.Networks.CreateNetworkAsync(new NetworksCreateParameters { Name = "bridge2" })), "/networks").SetName("a network create");
        yield return new TestCaseData((Func<IDockerClient, string, Task>)((docker, _) => docker.Containers.ListContainersAsync(new ContainersListParameters { All = true })), "/containers/json").SetName("a list of every container");
        yield return new TestCaseData((Func<IDockerClient, string, Task>)((docker, _) => docker.Images.InspectImageAsync("debian:12")), "/images/debian").SetName("another image's inspection");
        yield return new TestCaseData((Func<IDockerClient, string, Task>)((docker, _) => docker.Containers.StartContainerAsync("webide-sandbox-by-name", new ContainerStartParameters())), "webide-sandbox-by-name").SetName("a container named by name");
        yield return new TestCaseData((Func<IDockerClient, string, Task>)((docker, id) => docker.Containers.KillContainerAsync(id, new ContainerKillParameters())), "/kill").SetName("a kill (execution removes, never kills)");
    }

    [TestCaseSource(nameof(RefusedCalls))]
    public async Task ACallExecutionNeverMakesIsRefusedAndNeverReachesTheEngine(Func<IDockerClient, string, Task> call, string path)
    {
        var ours = _engine.Add(SandboxLabels.Owned(Installation));

        var refused = Assert.ThrowsAsync(Is.InstanceOf<DockerApiException>(), () => call(_docker, ours)) as DockerApiException;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused!.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(refused.ResponseBody, Does.StartWith("{\"message\":"), "the engine's own error shape");
            Assert.That(_engine.Requests, Has.None.Contains(path));
        }
    }

    private static IEnumerable<TestCaseData> HostileConfigs()
    {
        yield return Hostile("privileged", config => config.HostConfig.Privileged = true);
        yield return Hostile("a foreign image", config => config.Image = "debian:12");
        yield return Hostile("a host bind", config => config.HostConfig.Binds = ["/:/host"]);
        yield return Hostile("a host mount", config => config.HostConfig.Mounts = [new Mount { Type = "bind", Source = "/etc", Target = "/host-etc" }]);
        yield return Hostile("an added capability", config => config.HostConfig.CapAdd = ["SYS_ADMIN"]);
        yield return Hostile("capabilities kept", config => config.HostConfig.CapDrop = ["NET_RAW"]);
        yield return Hostile("a device", config => config.HostConfig.Devices = [new DeviceMapping { PathOnHost = "/dev/sda", PathInContainer = "/dev/sda", CgroupPermissions = "rwm" }]);
        yield return Hostile("the host network", config => config.HostConfig.NetworkMode = "host");
        yield return Hostile("a network", config => config.NetworkDisabled = false);
        yield return Hostile("the host's PIDs", config => config.HostConfig.PidMode = "host");
        yield return Hostile("the host's IPC", config => config.HostConfig.IpcMode = "host");
        yield return Hostile("the host's user namespace", config => config.HostConfig.UsernsMode = "host");
        yield return Hostile("no seccomp", config => config.HostConfig.SecurityOpt = ["no-new-privileges", "seccomp=unconfined"]);
        yield return Hostile("no AppArmor", config => config.HostConfig.SecurityOpt = ["no-new-privileges", "apparmor=unconfined"]);
        yield return Hostile("new privileges", config => config.HostConfig.SecurityOpt = []);
        yield return Hostile("a writable root", config => config.HostConfig.ReadonlyRootfs = false);
        yield return Hostile("root", config => config.User = "0:0");
        yield return Hostile("another installation's label", config => config.Labels[SandboxLabels.Installation] = "/elsewhere/.data");
        yield return Hostile("no installation label", config => config.Labels.Remove(SandboxLabels.Installation));
        yield return Hostile("a log driver", config => config.HostConfig.LogConfig = new LogConfig { Type = "json-file" });
        yield return Hostile("a sysctl", config => config.HostConfig.Sysctls = new Dictionary<string, string> { ["kernel.shm_rmid_forced"] = "1" });
        yield return Hostile("a volume", config => config.Volumes = new Dictionary<string, EmptyStruct> { ["/data"] = default });
        yield return Hostile("a cgroup parent", config => config.HostConfig.CgroupParent = "/");
        yield return Hostile("another container's volumes", config => config.HostConfig.VolumesFrom = ["other"]);

        static TestCaseData Hostile(string name, Action<CreateContainerParameters> change) => new TestCaseData(change).SetName($"a container with {name}");
    }

    [TestCaseSource(nameof(HostileConfigs))]
    public void AContainerNotShapedAsASandboxIsRefusedAndNotCreated(Action<CreateContainerParameters> change)
    {
        var config = SandboxLike();
        change(config);

        var refused = Assert.ThrowsAsync<DockerApiException>(() => _docker.Containers.CreateContainerAsync(config));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused!.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(_engine.Requests, Has.None.Contains("/containers/create"));
            Assert.That(_engine.Containers, Is.Empty);
        }
    }

    [Test]
    public async Task TheSandboxLikeConfigOfTheseTestsIsItselfAllowed()
    {
        var created = await _docker.Containers.CreateContainerAsync(SandboxLike());
        Assert.That(_engine.Containers.Keys, Does.Contain(created.ID));
    }

    private static IEnumerable<TestCaseData> ForeignContainers()
    {
        yield return new TestCaseData(SandboxLabels.Owned("/elsewhere/.data")).SetName("another installation's container");
        yield return new TestCaseData(new Dictionary<string, string>()).SetName("a container without labels");
        yield return new TestCaseData(new Dictionary<string, string> { [SandboxLabels.Installation] = Installation }).SetName("a container labelled for the installation but not managed");
    }

    [TestCaseSource(nameof(ForeignContainers))]
    public async Task AContainerNotTheInstallationsCannotBeStartedInspectedAttachedOrRemoved(Dictionary<string, string> labels)
    {
        var foreign = _engine.Add(labels);

        var start = Assert.ThrowsAsync<DockerApiException>(() => _docker.Containers.StartContainerAsync(foreign, new ContainerStartParameters()));
        var inspect = Assert.ThrowsAsync<DockerApiException>(() => _docker.Containers.InspectContainerAsync(foreign));
        var remove = Assert.ThrowsAsync<DockerApiException>(() => _docker.Containers.RemoveContainerAsync(foreign, new ContainerRemoveParameters { Force = true }));
        var attach = Assert.ThrowsAsync<DockerApiException>(() => _docker.Containers.AttachContainerAsync(foreign, tty: false, new ContainerAttachParameters { Stream = true, Stdin = true }));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(new[] { start!.StatusCode, inspect!.StatusCode, remove!.StatusCode, attach!.StatusCode }, Is.All.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(_engine.Requests, Has.None.Contains($"/{foreign}/start").And.None.Contains($"/{foreign}/attach").And.None.StartsWith("DELETE"));
            Assert.That(_engine.Containers.Keys, Does.Contain(foreign));
        }
        await Task.CompletedTask;
    }

    [Test]
    public void AMissingContainerIsTheEnginesNotFound() =>
        Assert.ThrowsAsync<DockerContainerNotFoundException>(() => _docker.Containers.RemoveContainerAsync(new string('a', 64), new ContainerRemoveParameters { Force = true }));

    private static IEnumerable<TestCaseData> HostileRequests()
    {
        const string Id = "{id}";
        yield return Raw("a field spelt in lower case, which Go reads all the same", "POST", "/containers/create", Body("\"HostConfig\": {", "\"HostConfig\": {\"privileged\": true, "));
        yield return Raw("a field given twice, of which Go reads the last", "POST", "/containers/create", Body("\"HostConfig\": {", "\"HostConfig\": {\"Privileged\": false, \"Privileged\": true, "));
        yield return Raw("a host config given twice in other cases", "POST", "/containers/create", Body("\"HostConfig\": {", "\"hostconfig\": {\"Privileged\": true}, \"HostConfig\": {"));
        yield return Raw("a field name that folds onto ASCII in Go", "POST", "/containers/create", Body("\"HostConfig\": {", "\"HostConfig\": {\"Bind\u017f\": [\"/:/host\"], "));
        yield return Raw("the deprecated host config at the top level", "POST", "/containers/create", Body("\"HostConfig\": {", "\"Privileged\": true, \"HostConfig\": {"));
        yield return Raw("a container config that is not JSON", "POST", "/containers/create", "{\"Image\": ");
        yield return Raw("a start with a host config (API 1.23)", "POST", $"/v1.23/containers/{Id}/start", "{\"Privileged\": true}");
        yield return Raw("a start with a body", "POST", $"/containers/{Id}/start", "{\"Privileged\": true}");
        yield return Raw("a list whose filter is named in another case", "GET", "/containers/json?all=1&Filters=" + Uri.EscapeDataString($"{{\"label\":{{\"webide.installation={Installation}\":true}}}}"), null);
        yield return Raw("a list with the filter twice", "GET", "/containers/json?filters=" + Uri.EscapeDataString("{}") + "&filters=" + Uri.EscapeDataString($"{{\"label\":{{\"webide.installation={Installation}\":true}}}}"), null);
        yield return Raw("a list whose label filter is given twice", "GET", "/containers/json?filters=" + Uri.EscapeDataString($"{{\"label\":{{\"webide.installation={Installation}\":true}},\"label\":{{}}}}"), null);
        yield return Raw("a path that climbs", "GET", $"/containers/{Id}/../../info", null);
        yield return Raw("a percent-encoded path", "POST", $"/containers/{Id}/%65xec", null);
        yield return Raw("an archive upload", "PUT", $"/containers/{Id}/archive?path=/", "x");
        yield return Raw("a commit", "POST", $"/commit?container={Id}", null);
        yield return Raw("the engine's events", "GET", "/events", null);

        static string Body(string find, string replace) => SandboxLikeJson.Replace(find, replace, StringComparison.Ordinal);

        static TestCaseData Raw(string name, string method, string target, string? body) => new TestCaseData(method, target, body).SetName($"{name} is refused");
    }

    [TestCaseSource(nameof(HostileRequests))]
    public async Task AHostileRequestIsRefusedAndNeverReachesTheEngine(string method, string target, string? body)
    {
        var ours = _engine.Add(SandboxLabels.Owned(Installation));
        using var client = GateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), target.Replace("{id}", ours, StringComparison.Ordinal));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        var before = _engine.Requests.Count;

        using var response = await client.SendAsync(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), await response.Content.ReadAsStringAsync());
            Assert.That(_engine.Requests.Skip(before).Where(sent => !sent.EndsWith($"/{ours}/json", StringComparison.Ordinal)), Is.Empty, "only the gate's own look at the labels");
            Assert.That(_engine.Containers.Keys, Is.EquivalentTo(new[] { ours }));
        }
    }

    [Test]
    public async Task TheSandboxLikeJsonOfTheseTestsIsItselfAllowed()
    {
        using var client = GateClient();
        using var response = await client.PostAsync("/containers/create", new StringContent(SandboxLikeJson, Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task AnAttachCarriesStdinToTheEngineAndItsEndAsAHalfClose()
    {
        var ours = _engine.Add(SandboxLabels.Owned(Installation));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_gateSocket), deadline.Token);
        await using var stream = new NetworkStream(socket, ownsSocket: false);

        // As Docker.DotNet sends it: a plain POST, then stdin on the same connection.
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /containers/{ours}/attach?stream=1&stdin=1&stdout=1&stderr=1 HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\nhello"), deadline.Token);
        socket.Shutdown(SocketShutdown.Send);
        using var received = new MemoryStream();
        await stream.CopyToAsync(received, deadline.Token);

        var text = Encoding.Latin1.GetString(received.ToArray());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.StartWith("HTTP/1.1 200 OK\r\n"));
            Assert.That(text, Does.Contain("hello"), "stdin came back as stdout");
            Assert.That(text, Does.EndWith("stdin closed"), "the half-close reached the engine, and its answer after it came back");
        }
    }

    private HttpClient GateClient() => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(_gateSocket), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    { BaseAddress = new Uri("http://docker") };

    /// <summary>A container as the sandbox factory shapes it (without its seccomp profile, which is allowed too).</summary>
    private static CreateContainerParameters SandboxLike() => new()
    {
        Image = RunnerImage,
        User = SandboxFactory.RunnerUser,
        Entrypoint = ["python3", "-c", "print(1)"],
        Labels = new Dictionary<string, string>(SandboxLabels.Owned(Installation)),
        NetworkDisabled = true,
        OpenStdin = true,
        HostConfig = new HostConfig
        {
            NetworkMode = "none",
            LogConfig = new LogConfig { Type = "none" },
            Memory = 256L << 20,
            PidsLimit = 67,
            ReadonlyRootfs = true,
            CapDrop = ["ALL"],
            SecurityOpt = ["no-new-privileges"],
            MaskedPaths = [],
            IpcMode = "private",
            Tmpfs = new Dictionary<string, string> { ["/sandbox"] = "rw,size=1m" },
        },
    };

    private const string SandboxLikeJson = $$$"""
        {"Image": "{{{RunnerImage}}}", "User": "10000:10000", "NetworkDisabled": true,
         "Labels": {"webide.managed": "true", "webide.installation": "{{{Installation}}}"},
         "HostConfig": {"NetworkMode": "none", "ReadonlyRootfs": true, "CapDrop": ["ALL"], "SecurityOpt": ["no-new-privileges"]}}
        """;
}
