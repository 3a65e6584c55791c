using Docker.DotNet;
using Docker.DotNet.Models;

namespace WebIde.Execution.Sandbox;

/// <summary>Finds and removes the platform's sandbox containers by their labels.</summary>
public sealed class SandboxContainers(IDockerClient docker, ILogger<SandboxContainers> logger)
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

    /// <summary>Every container the platform made (running or not) that also carries <paramref name="labels"/>.</summary>
    public async Task<IList<ContainerListResponse>> ListAsync(IEnumerable<string> labels, CancellationToken cancellationToken)
    {
        var filter = labels.Append($"{SandboxLabels.Managed}=true").ToDictionary(label => label, _ => true);
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
