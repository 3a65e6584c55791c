using Docker.DotNet;
using Docker.DotNet.Models;
using WebIde.Execution.Sandbox;
using WebIde.Tests.Shared;

namespace WebIde.IntegrationTests.Execution.Abuse;

/// <summary>
/// Whatever the platform's containers are left as — past their expiry while still running,
/// or exited — the execution service's sweeper removes them (those of its installation:
/// another checkout's are its own business).
/// </summary>
[Order(90)]
public sealed class SweeperTests
{
    /// <summary>Two sweeps at the default 30 s interval.</summary>
    private static readonly TimeSpan SweepDeadline = TimeSpan.FromSeconds(60);

    [Test]
    public async Task ExpiredAndExitedManagedContainersAreRemoved()
    {
        using var docker = new DockerClientConfiguration(new Uri("unix:///var/run/docker.sock")).CreateClient();
        var created = new List<string>();
        try
        {
            var expired = await CreateAsync(docker, "sleep", ["600"], DateTimeOffset.UtcNow.AddMinutes(-5));
            created.Add(expired);
            var exited = await CreateAsync(docker, "true", [], expires: null);
            created.Add(exited);
            await docker.Containers.StartContainerAsync(exited, new ContainerStartParameters());
            try
            {
                await docker.Containers.StartContainerAsync(expired, new ContainerStartParameters());
            }
            catch (DockerContainerNotFoundException)
            {
                // A sweep came between create and start; the wait below then ends at once.
            }

            using var deadline = new CancellationTokenSource(SweepDeadline);
            var left = created.ToList();
            while (left.Count > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), deadline.Token);
                var remaining = new List<string>();
                foreach (var id in left)
                {
                    if (await ExistsAsync(docker, id))
                    {
                        remaining.Add(id);
                    }
                }
                left = remaining;
            }
        }
        finally
        {
            foreach (var id in created)
            {
                try
                {
                    await docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true });
                }
                catch (DockerContainerNotFoundException)
                {
                    // The sweeper removed it, as it should.
                }
            }
        }
    }

    private static async Task<string> CreateAsync(DockerClient docker, string entrypoint, IList<string> arguments, DateTimeOffset? expires)
    {
        var labels = SandboxLabels.Owned(Platform.Installation);
        if (expires is { } at)
        {
            labels[SandboxLabels.Expires] = at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = $"webide-sweeper-test-{Guid.NewGuid():N}",
            Image = RunnerImage.Tag,
            Entrypoint = [entrypoint],
            Cmd = arguments,
            Labels = labels,
            HostConfig = new HostConfig { NetworkMode = "none", Init = true },
        });
        return created.ID;
    }

    private static async Task<bool> ExistsAsync(DockerClient docker, string id)
    {
        try
        {
            await docker.Containers.InspectContainerAsync(id);
            return true;
        }
        catch (DockerContainerNotFoundException)
        {
            return false;
        }
    }
}
