using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using WebIde.Execution.Sandbox;
using WebIde.Tests.Shared;

namespace WebIde.IntegrationTests.Execution;

/// <summary>
/// The platform's Docker gate (docs/platform.md, "The Docker gate"), talked to on its socket as
/// anyone who got hold of it would: it refuses what execution never asks for, and nothing of it
/// reaches the engine (checked on the real engine). Execution's own runs go through it in every
/// run test; the last test here walks the sandbox sequence with Docker.DotNet itself.
/// </summary>
public sealed class DockerGateTests
{
    private static readonly Uri Engine = new("unix:///var/run/docker.sock");

    private DockerClient _engine = null!;
    private readonly List<string> _made = [];

    private static string GateSocket => Path.Combine(Platform.DataDir, "docker-gate", "docker.sock");

    [SetUp]
    public void ConnectToTheEngine() => _engine = new DockerClientConfiguration(Engine).CreateClient();

    [TearDown]
    public async Task RemoveWhatWasMade()
    {
        foreach (var id in _made)
        {
            try
            {
                await _engine.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true });
            }
            catch (DockerContainerNotFoundException)
            {
            }
        }
        _engine.Dispose();
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void TheSocketIsTheOwnersAndGroupsOnlyInAFolderOfTheOwnersOnly()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.GetUnixFileMode(GateSocket), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite));
            Assert.That(File.GetUnixFileMode(Path.GetDirectoryName(GateSocket)!), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        }
    }

    [TestCase("\"Privileged\": true", TestName = "A privileged container is refused and not created")]
    [TestCase("\"Binds\": [\"/:/host\"]", TestName = "A container binding the host's root is refused and not created")]
    [TestCase("\"CapAdd\": [\"SYS_ADMIN\"]", TestName = "A container with an added capability is refused and not created")]
    [TestCase("\"SecurityOpt\": [\"no-new-privileges\", \"seccomp=unconfined\"]", TestName = "A container without seccomp is refused and not created")]
    public async Task AHostileContainerIsRefusedAndNotCreated(string hostConfig)
    {
        var name = $"webide-gate-test-{Guid.NewGuid():N}";
        var config = SandboxConfig(RunnerImage.Tag, hostConfig);

        using var response = await GateAsync(HttpMethod.Post, $"/containers/create?name={name}", config);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString(), Is.Not.Empty);
            Assert.That(await NamedAsync(name), Is.Empty, "the engine made no container");
        }
    }

    [Test]
    public async Task AContainerOfAnotherImageIsRefusedAndNotCreated()
    {
        var name = $"webide-gate-test-{Guid.NewGuid():N}";

        using var response = await GateAsync(HttpMethod.Post, $"/containers/create?name={name}", SandboxConfig("debian:12", hostConfig: null));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await NamedAsync(name), Is.Empty);
        }
    }

    [Test]
    public async Task AnExecIsRefusedEvenInTheInstallationsOwnContainer()
    {
        var ours = await CreateOnTheEngineAsync(SandboxLabels.Owned(Platform.Installation));

        using var response = await GateAsync(HttpMethod.Post, $"/containers/{ours}/exec", """{"Cmd": ["sh"], "AttachStdout": true}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [TestCase("GET", "/info")]
    [TestCase("GET", "/events")]
    [TestCase("POST", "/images/create?fromImage=busybox&tag=latest")]
    [TestCase("POST", "/volumes/create")]
    [TestCase("GET", "/containers/json?all=1")]
    public async Task ACallExecutionNeverMakesIsRefused(string method, string target)
    {
        using var response = await GateAsync(new HttpMethod(method), target, method == "POST" ? "{}" : null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task AContainerOfAnotherInstallationCannotBeStartedOrRemoved()
    {
        var foreign = await CreateOnTheEngineAsync(SandboxLabels.Owned($"{Platform.Installation}-elsewhere"));

        using var start = await GateAsync(HttpMethod.Post, $"/containers/{foreign}/start", body: null);
        using var remove = await GateAsync(HttpMethod.Delete, $"/containers/{foreign}?force=1", body: null);
        var after = await _engine.Containers.InspectContainerAsync(foreign);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(start.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(remove.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(after.State.Running, Is.False, "not started");
        }
    }

    [Test]
    public async Task TheSandboxSequenceGoesThroughCreateAttachStartAndRemove()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var gate = new DockerClientConfiguration(new Uri($"unix://{GateSocket}")).CreateClient();
        var created = await gate.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = RunnerImage.Tag,
            // The sandbox's user (SandboxFactory.RunnerUser): the gate creates containers for no other.
            User = "10000:10000",
            Entrypoint = ["cat"],
            Labels = new Dictionary<string, string>(SandboxLabels.Owned(Platform.Installation)),
            NetworkDisabled = true,
            OpenStdin = true,
            StdinOnce = true,
            AttachStdin = true,
            AttachStdout = true,
            HostConfig = new HostConfig
            {
                NetworkMode = "none",
                LogConfig = new LogConfig { Type = "none" },
                ReadonlyRootfs = true,
                CapDrop = ["ALL"],
                SecurityOpt = ["no-new-privileges"],
            },
        }, deadline.Token);
        _made.Add(created.ID);

        using var stream = await gate.Containers.AttachContainerAsync(created.ID, tty: false, new ContainerAttachParameters { Stream = true, Stdin = true, Stdout = true }, deadline.Token);
        await gate.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), deadline.Token);
        var input = "through the gate\n"u8.ToArray();
        await stream.WriteAsync(input, 0, input.Length, deadline.Token);
        // The end of stdin, a half-close through the gate: cat ends, and its output still comes back.
        stream.CloseWrite();
        var output = await stream.ReadOutputToEndAsync(deadline.Token);
        await gate.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }, deadline.Token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(output.Item1, Is.EqualTo("through the gate\n"));
            Assert.ThrowsAsync<DockerContainerNotFoundException>(() => _engine.Containers.InspectContainerAsync(created.ID));
        }
    }

    private async Task<string> CreateOnTheEngineAsync(IDictionary<string, string> labels)
    {
        var created = await _engine.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = RunnerImage.Tag,
            Entrypoint = ["sleep", "60"],
            Labels = new Dictionary<string, string>(labels) { [SandboxLabels.Expires] = DateTimeOffset.UtcNow.AddMinutes(2).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) },
            NetworkDisabled = true,
            HostConfig = new HostConfig { NetworkMode = "none" },
        });
        _made.Add(created.ID);
        return created.ID;
    }

    private async Task<IList<ContainerListResponse>> NamedAsync(string name) =>
        await _engine.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["name"] = new Dictionary<string, bool> { [name] = true } },
        });

    /// <summary>A container as a sandbox is made, with <paramref name="hostConfig"/> added to its host config.</summary>
    private static string SandboxConfig(string image, string? hostConfig) =>
        "{\"Image\": " + JsonSerializer.Serialize(image) + ", \"User\": \"10000:10000\", \"Entrypoint\": [\"true\"], \"NetworkDisabled\": true, "
        + "\"Labels\": {\"webide.managed\": \"true\", \"webide.installation\": " + JsonSerializer.Serialize(Platform.Installation) + "}, "
        + "\"HostConfig\": {" + (hostConfig is null ? "" : hostConfig + ", ")
        + "\"NetworkMode\": \"none\", \"ReadonlyRootfs\": true, \"CapDrop\": [\"ALL\"], \"SecurityOpt\": [\"no-new-privileges\"]}}";

    private static async Task<HttpResponseMessage> GateAsync(HttpMethod method, string target, string? body)
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(GateSocket), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        { BaseAddress = new Uri("http://docker") };
        using var request = new HttpRequestMessage(method, target);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
