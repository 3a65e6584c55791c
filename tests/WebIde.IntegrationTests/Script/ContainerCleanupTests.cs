using System.Diagnostics;
using Docker.DotNet;
using Docker.DotNet.Models;
using WebIde.Execution.Sandbox;
using WebIde.Tests.Shared;

// Outside the WebIde.IntegrationTests namespace on purpose: these need Docker and the runner
// image, not the platform, so running them alone does not boot it.
namespace WebIde.ScriptTests;

/// <summary>
/// <c>./webide</c>'s cleanup removes its own installation's sandbox containers and leaves
/// another checkout's on the same machine alone.
/// </summary>
public sealed class ContainerCleanupTests
{
    private static readonly TimeSpan ScriptDeadline = TimeSpan.FromSeconds(60);

    [Test]
    public async Task TheCleanupRemovesItsOwnInstallationsContainersAndLeavesAForeignOne()
    {
        using var docker = new DockerClientConfiguration(new Uri("unix:///var/run/docker.sock")).CreateClient();
        // Installations of their own, so nothing of this checkout's (or a running ./webide up's) is touched.
        var folder = Path.Combine(Path.GetTempPath(), $"webide-cleanup-test-{Guid.NewGuid():N}");
        var ours = Path.Combine(folder, "ours", ".data");
        var foreign = Path.Combine(folder, "foreign", ".data");
        var own = await CreateAsync(docker, ours);
        var other = await CreateAsync(docker, foreign);
        try
        {
            var refused = await RunScriptAsync("cleanup-containers", "--installation", "relative/.data");
            Assert.That(refused.ExitCode, Is.Not.Zero, $"a relative installation is refused: {refused.Output}");
            Assert.That(await ExistsAsync(docker, own), Is.True, "a refused cleanup removes nothing");

            var cleaned = await RunScriptAsync("cleanup-containers", "--installation", ours);

            Assert.That(cleaned.ExitCode, Is.Zero, cleaned.Output);
            var ownLeft = await ExistsAsync(docker, own);
            var otherLeft = await ExistsAsync(docker, other);
            Assert.Multiple(() =>
            {
                Assert.That(ownLeft, Is.False, $"its own installation's container is removed: {cleaned.Output}");
                Assert.That(otherLeft, Is.True, $"a foreign installation's container survives: {cleaned.Output}");
            });
        }
        finally
        {
            foreach (var id in new[] { own, other })
            {
                try
                {
                    await docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true });
                }
                catch (DockerContainerNotFoundException)
                {
                    // The cleanup removed it, as it should have.
                }
            }
        }
    }

    /// <summary>A sandbox container of <paramref name="installation"/>, created and never started (cleanup removes those too).</summary>
    private static async Task<string> CreateAsync(DockerClient docker, string installation)
    {
        var labels = SandboxLabels.Owned(installation);
        labels["webide.test"] = "cleanup";
        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = $"webide-cleanup-test-{Guid.NewGuid():N}",
            Image = RunnerImage.Tag,
            Entrypoint = ["true"],
            Labels = labels,
            HostConfig = new HostConfig { NetworkMode = "none" },
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

    private static async Task<(int ExitCode, string Output)> RunScriptAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(Checkout.Root, "webide"), .. arguments])
        {
            WorkingDirectory = Checkout.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash could not be started");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(ScriptDeadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"./webide {string.Join(' ', arguments)} did not finish within {ScriptDeadline.TotalSeconds:0} s");
        }
        return (process.ExitCode, $"{await output}{await errors}".Trim());
    }
}
