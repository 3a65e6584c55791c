using Docker.DotNet;
using Docker.DotNet.Models;
using WebIde.Execution.Sandbox;

namespace WebIde.IntegrationTests.Execution.Abuse;

/// <summary>
/// After every hostile program above: no container served two users, and none is left once its
/// user's idle time has passed, whatever the programs did to it. Runs last.
/// </summary>
[Order(100)]
public sealed class LeftoverContainerTests
{
    // The idle time, the retirement check's tick (a quarter of it, a second at least) and the removal.
    private static readonly TimeSpan RemovalDeadline = Platform.UserSandboxIdle * 2 + TimeSpan.FromSeconds(30);

    [Test]
    public void NoSandboxServedTwoUsers()
    {
        Assert.That(AbuseWorkspace.Sandboxes, Has.Count.GreaterThanOrEqualTo(15), "the abuse cases did not run first");
        Assert.That(AbuseWorkspace.SharedSandboxes, Is.Empty, "containers whose runs came from two users' workspaces");
    }

    [Test]
    public async Task NoSandboxOfTheAbuseSuiteOutlivesItsUsersIdleTime()
    {
        using var docker = new DockerClientConfiguration(new Uri("unix:///var/run/docker.sock")).CreateClient();
        var sandboxes = AbuseWorkspace.Sandboxes;
        var workspaces = AbuseWorkspace.Workspaces.ToHashSet(StringComparer.Ordinal);
        // Every hostile program names its container; without them this test would pass on nothing.
        Assert.That(sandboxes, Has.Count.GreaterThanOrEqualTo(15), "the abuse cases did not run first");

        using var deadline = new CancellationTokenSource(RemovalDeadline);
        IReadOnlyList<string> left;
        while (true)
        {
            var managed = await docker.Containers.ListContainersAsync(new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{SandboxLabels.Managed}=true"] = true } },
            });
            left = [.. managed
                .Where(container => sandboxes.Contains(container.ID)
                    || (container.Labels.ContainsKey(SandboxLabels.Run) && container.Labels.TryGetValue(SandboxLabels.Workspace, out var workspace) && workspaces.Contains(workspace)))
                .Select(container => $"{container.ID[..12]} {container.State} {string.Join(',', container.Labels.Select(label => $"{label.Key}={label.Value}"))}")];
            if (left.Count == 0)
            {
                await TestContext.Out.WriteLineAsync($"{sandboxes.Count} abuse sandboxes all removed; managed containers now: {string.Join("; ", managed.Select(Describe))}");
                return;
            }
            if (deadline.IsCancellationRequested)
            {
                break;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None);
        }

        Assert.That(left, Is.Empty, "sandboxes of the abuse suite still exist");
    }

    private static string Describe(ContainerListResponse container) =>
        $"{container.ID[..12]} {container.State} {string.Join(',', container.Labels.Where(label => label.Key != SandboxLabels.Managed).Select(label => $"{label.Key}={label.Value}"))}";
}
