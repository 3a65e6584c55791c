using System.Diagnostics.Metrics;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.UnitTests.Sandbox;

/// <summary>
/// What the factory asks the engine for, as it asks (SandboxFactoryDockerTests shows what a real engine makes of it):
/// the jail's needs and no more.
/// </summary>
public sealed class SandboxFactoryTests
{
    private IDockerClient _docker = null!;
    private ServiceProvider _services = null!;
    private CreateContainerParameters? _created;

    [SetUp]
    public void RecordTheCreation()
    {
        _docker = Substitute.For<IDockerClient>();
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _created = null;
        _docker.Containers.CreateContainerAsync(Arg.Do<CreateContainerParameters>(parameters => _created = parameters), Arg.Any<CancellationToken>())
            .Returns(new CreateContainerResponse { ID = "created" });
        // Stops the start right after the creation: what was asked for is all this test looks at.
        _docker.Containers.AttachContainerAsync(Arg.Any<string>(), Arg.Any<bool>(), Arg.Any<ContainerAttachParameters>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new DockerApiException(System.Net.HttpStatusCode.InternalServerError, "stop here"));
    }

    [TearDown]
    public void CleanUp()
    {
        _docker.Dispose();
        _services.Dispose();
    }

    [Test]
    public async Task TheContainerGetsTheSeccompProfileAndUnmaskedProcAndNoPrivilege()
    {
        var host = (await CreateAsync()).HostConfig;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(host.SecurityOpt, Does.Contain("no-new-privileges"));
            var seccomp = host.SecurityOpt.Where(option => option.StartsWith("seccomp=", StringComparison.Ordinal)).ToList();
            Assert.That(seccomp, Has.Count.EqualTo(1), "the profile itself, as the engine's API takes it");
            Assert.That(JsonDocument.Parse(seccomp[0]["seccomp=".Length..]).RootElement.GetProperty("defaultAction").GetString(), Is.EqualTo("SCMP_ACT_ERRNO"));
            Assert.That(seccomp[0], Does.Not.Contain("unconfined"));
            Assert.That(host.MaskedPaths, Is.Not.Null.And.Empty, "empty, not null: null would mean Docker's defaults");
            Assert.That(host.ReadonlyPaths, Is.Not.Null.And.Empty);
            Assert.That(host.Privileged, Is.False);
            Assert.That(host.CapDrop, Is.EqualTo(new[] { "ALL" }));
            Assert.That(host.CapAdd ?? [], Is.Empty);
            Assert.That(host.ReadonlyRootfs, Is.True);
            Assert.That(host.NetworkMode, Is.EqualTo("none"));
            Assert.That(host.PidsLimit, Is.EqualTo(67), "the contract's 64, the agent, bwrap and the jail's init");
            Assert.That(host.Devices ?? [], Is.Empty);
            Assert.That(host.Binds ?? [], Is.Empty);
            Assert.That(_created!.User, Is.EqualTo("10000:10000"));
        }
    }

    [Test]
    public async Task EmptyMaskListsReachTheEngineAsEmptyArrays()
    {
        var host = (await CreateAsync()).HostConfig;

        // Docker.DotNet writes its models with Newtonsoft.Json: a list left out would mean the engine's defaults.
        var json = Newtonsoft.Json.JsonConvert.SerializeObject(host);

        Assert.That(json, Does.Contain("\"MaskedPaths\":[]").And.Contain("\"ReadonlyPaths\":[]"));
    }

    private async Task<CreateContainerParameters> CreateAsync()
    {
        using var metrics = new SandboxMetrics(_services.GetRequiredService<IMeterFactory>());
        var factory = new SandboxFactory(_docker, Options.Create(new SandboxOptions { RunnerImage = "webide-runner:test", Installation = "/tmp/test" }),
            metrics, TimeProvider.System, NullLogger<SandboxFactory>.Instance);

        Assert.ThrowsAsync<DockerApiException>(() => factory.StartAsync(new SandboxShape(256L << 20), new Dictionary<string, string>(), TimeSpan.FromMinutes(1), CancellationToken.None));
        await _docker.Containers.Received(1).RemoveContainerAsync("created", Arg.Any<ContainerRemoveParameters>(), Arg.Any<CancellationToken>());
        return _created ?? throw new AssertionException("no container was created");
    }
}
