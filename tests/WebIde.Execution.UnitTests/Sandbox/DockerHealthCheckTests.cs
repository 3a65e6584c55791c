using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.UnitTests.Sandbox;

public sealed class DockerHealthCheckTests
{
    private const string Image = "webide-runner:3f2a9c";

    private IDockerClient _docker = null!;

    [SetUp]
    public void CreateDocker() => _docker = Substitute.For<IDockerClient>();

    [TearDown]
    public void DisposeDocker() => _docker.Dispose();

    [Test]
    public async Task AnEngineThatDoesNotAnswerIsUnhealthy()
    {
        _docker.System.PingAsync(Arg.Any<CancellationToken>()).ThrowsAsync(new HttpRequestException("Connection refused (/var/run/docker.sock)"));

        var result = await CheckAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(result.Description, Does.Contain("does not answer"));
            Assert.That(result.Exception, Is.InstanceOf<HttpRequestException>());
        }
        await _docker.Images.DidNotReceiveWithAnyArgs().InspectImageAsync(default!, default);
    }

    [Test]
    public async Task AMissingRunnerImageIsUnhealthyNamingItAndHowToBuildIt()
    {
        _docker.Images.InspectImageAsync(Image, Arg.Any<CancellationToken>())
            .ThrowsAsync(new DockerImageNotFoundException(HttpStatusCode.NotFound, """{"message":"No such image"}"""));

        var result = await CheckAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(result.Description, Does.Contain(Image).And.Contain("deploy/runner/build.sh"));
        }
    }

    [Test]
    public async Task APresentRunnerImageIsHealthyWithItsSize()
    {
        _docker.Images.InspectImageAsync(Image, Arg.Any<CancellationToken>())
            .Returns(new ImageInspectResponse { ID = "sha256:abc", Size = 428_000_000 });

        var result = await CheckAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Status, Is.EqualTo(HealthStatus.Healthy));
            Assert.That(result.Description, Does.Contain(Image));
            Assert.That(result.Data["imageSizeBytes"], Is.EqualTo(428_000_000L));
        }
    }

    [Test]
    public async Task TheRegistrationsFailureStatusIsUsed()
    {
        _docker.System.PingAsync(Arg.Any<CancellationToken>()).ThrowsAsync(new TimeoutException());

        var result = await CheckAsync(HealthStatus.Degraded);

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Degraded));
    }

    private Task<HealthCheckResult> CheckAsync(HealthStatus failureStatus = HealthStatus.Unhealthy)
    {
        var check = new DockerHealthCheck(_docker, Options.Create(new SandboxOptions { RunnerImage = Image }));
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration("docker", check, failureStatus, ["ready"]) };
        return check.CheckHealthAsync(context);
    }
}
