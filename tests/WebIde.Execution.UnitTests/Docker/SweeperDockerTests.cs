using System.Globalization;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebIde.Execution.Sandbox;
using WebIde.Tests.Shared;

namespace WebIde.Execution.UnitTests.Docker;

/// <summary>What the sweeper removes — containers whose run is over — and what it must leave alone.</summary>
public sealed class SweeperDockerTests
{
    [Test]
    public async Task ExitedAndExpiredSandboxesGoLiveAndForeignContainersStay()
    {
        using var docker = new RealDocker();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var expired = await CreateAsync(docker, managed: true, expires: now - 60, start: true);
        var exited = await CreateAsync(docker, managed: true, expires: now + 3600, start: true, command: "true");
        var live = await CreateAsync(docker, managed: true, expires: now + 3600, start: true);
        var foreign = await CreateAsync(docker, managed: false, expires: now - 60, start: true, command: "true");
        try
        {
            await RealDocker.WaitUntilAsync(async () => (await docker.Client.Containers.InspectContainerAsync(exited)).State.Status == "exited",
                TimeSpan.FromSeconds(30), "the short-lived container exits");

            var sweeper = new SandboxSweeper(new SandboxContainers(docker.Client, NullLogger<SandboxContainers>.Instance), Options.Create(docker.Sandbox), TimeProvider.System, NullLogger<SandboxSweeper>.Instance);
            await sweeper.SweepAsync(CancellationToken.None);

            var left = (await docker.Client.Containers.ListContainersAsync(new ContainersListParameters { All = true })).Select(container => container.ID).ToList();
            Assert.That(left, Does.Not.Contain(expired), "past its expiry");
            Assert.That(left, Does.Not.Contain(exited), "its agent has exited: its run is over");
            Assert.That(left, Does.Contain(live), "still running and not expired");
            Assert.That(left, Does.Contain(foreign), "not ours");
        }
        finally
        {
            foreach (var id in new[] { expired, exited, live, foreign })
            {
                try
                {
                    await docker.Client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true });
                }
                catch (global::Docker.DotNet.DockerContainerNotFoundException)
                {
                }
            }
        }
    }

    private static async Task<string> CreateAsync(RealDocker docker, bool managed, long expires, bool start, string command = "sleep 600")
    {
        var labels = new Dictionary<string, string> { [SandboxLabels.Expires] = expires.ToString(CultureInfo.InvariantCulture), ["webide.test"] = "sweeper" };
        if (managed)
        {
            labels[SandboxLabels.Managed] = "true";
        }
        var created = await docker.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = RunnerImage.Tag,
            Entrypoint = ["bash", "-c", command],
            Labels = labels,
            NetworkDisabled = true,
            HostConfig = new HostConfig { NetworkMode = "none" },
        });
        if (start)
        {
            await docker.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        }
        return created.ID;
    }
}
