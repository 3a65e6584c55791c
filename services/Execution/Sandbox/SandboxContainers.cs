using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;

namespace WebIde.Execution.Sandbox;

/// <summary>
/// Finds and removes this installation's sandbox containers by their labels; another
/// installation's (another checkout on the same machine) are never listed.
/// </summary>
public sealed class SandboxContainers(IDockerClient docker, IOptions<SandboxOptions> options, ILogger<SandboxContainers> logger)
{
    public async Task<int> RemoveWorkspaceAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        var containers = await ListAsync([$"{SandboxLabels.Workspace}={workspaceId}"], cancellationToken);
        await RemoveAsync(containers, cancellationToken);
        if (containers.Count > 0)
        {
            logger.LogInformation("Removed {ContainerCount} sandbox containers of workspace {WorkspaceId}", containers.Count, workspaceId);
        }
        return containers.Count;
    }

    /// <summary>Every container this installation made (running or not) that also carries <paramref name="labels"/>.</summary>
    public async Task<IList<ContainerListResponse>> ListAsync(IEnumerable<string> labels, CancellationToken cancellationToken)
    {
        // Docker ANDs label filters: each must hold.
        var filter = labels
            .Concat(SandboxLabels.Owned(options.Value.Installation).Select(label => $"{label.Key}={label.Value}"))
            .ToDictionary(label => label, _ => true);
        return await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = filter },
        }, cancellationToken);
    }

    /// <summary>Removes the containers, running or not; returns how many this call removed.</summary>
    public async Task<int> RemoveAsync(IEnumerable<ContainerListResponse> containers, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var container in containers)
        {
            try
            {
                await docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true }, cancellationToken);
                removed++;
            }
            catch (DockerContainerNotFoundException)
            {
                // Its run ended and removed it meanwhile: the outcome wanted.
            }
        }
        return removed;
    }
}
