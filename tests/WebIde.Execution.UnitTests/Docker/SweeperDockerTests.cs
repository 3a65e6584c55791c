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
        var ours = docker.Sandbox.Installation;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var expired = await CreateAsync(docker, ours, expires: now - 60, start: true);
        var exited = await CreateAsync(docker, ours, expires: now + 3600, start: true, command: "true");
        var live = await CreateAsync(docker, ours, expires: now + 3600, start: true);
        var foreign = await CreateAsync(docker, installation: null, expires: now - 60, start: true, command: "true");
        // Another checkout's sandbox on the same machine, over by every rule but whose it is.
        var otherInstallations = await CreateAsync(docker, $"/elsewhere/{Guid.NewGuid():N}/.data", expires: now - 60, start: true, command: "true");
        try
        {
            foreach (var shortLived in new[] { exited, otherInstallations })
            {
                await RealDocker.WaitUntilAsync(async () => (await docker.Client.Containers.InspectContainerAsync(shortLived)).State.Status == "exited",
                    TimeSpan.FromSeconds(30), "the short-lived container exits");
            }

            var options = Options.Create(docker.Sandbox);
            var sweeper = new SandboxSweeper(new SandboxContainers(docker.Client, options, NullLogger<SandboxContainers>.Instance), options, TimeProvider.System, NullLogger<SandboxSweeper>.Instance);
            await sweeper.SweepAsync(CancellationToken.None);

            var left = (await docker.Client.Containers.ListContainersAsync(new ContainersListParameters { All = true })).Select(container => container.ID).ToList();
            Assert.That(left, Does.Not.Contain(expired), "past its expiry");
            Assert.That(left, Does.Not.Contain(exited), "its agent has exited: its run is over");
            Assert.That(left, Does.Contain(live), "still running and not expired");
            Assert.That(left, Does.Contain(foreign), "not the platform's");
            Assert.That(left, Does.Contain(otherInstallations), "another installation's");
        }
        finally
        {
            foreach (var id in new[] { expired, exited, live, foreign, otherInstallations })
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

    /// <summary>A container labelled as <paramref name="installation"/>'s sandbox, or as none of the platform's when null.</summary>
    private static async Task<string> CreateAsync(RealDocker docker, string? installation, long expires, bool start, string command = "sleep 600")
    {
        var labels = installation is null ? [] : SandboxLabels.Owned(installation);
        labels[SandboxLabels.Expires] = expires.ToString(CultureInfo.InvariantCulture);
        labels["webide.test"] = "sweeper";
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
