using Docker.DotNet;
using Docker.DotNet.Models;

namespace WebIde.Execution.Sandbox;

/// <summary>Finds and removes the platform's sandbox containers by their labels.</summary>
public sealed class SandboxContainers(IDockerClient docker, ILogger<SandboxContainers> logger)
{
    public async Task<int> RemoveWorkspaceAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool>
                {
                    [$"{SandboxLabels.Managed}=true"] = true,
                    [$"{SandboxLabels.Workspace}={workspaceId}"] = true,
                },
            },
        }, cancellationToken);

        foreach (var container in containers)
        {
            try
            {
                await docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true }, cancellationToken);
            }
            catch (DockerContainerNotFoundException)
            {
                // Its run ended and removed it meanwhile: the outcome wanted.
            }
        }

        if (containers.Count > 0)
        {
            logger.LogInformation("Removed {ContainerCount} sandbox containers of workspace {WorkspaceId}", containers.Count, workspaceId);
        }

        return containers.Count;
    }
}
