using WebIde.Deploy.UnitTests.Kubernetes;

namespace WebIde.Deploy.UnitTests;

/// <summary>
/// Whoever can call a node's Docker engine is root on that node: the Docker gate is the one container given its
/// socket, and no pod mounts anything else of its node (docs/deploy.md, "Execution nodes").
/// </summary>
public sealed class DockerSocketTests
{
    [TestCaseSource(typeof(Cases), nameof(Cases.Workloads))]
    public void TheOnlyPathFromANodeIsItsDockerSocket(Overlay overlay, Workload workload)
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (var volume in (workload.Pod.Volumes ?? []).Where(volume => volume.HostPath is not null))
            {
                Assert.That((volume.HostPath.Path, volume.HostPath.Type), Is.EqualTo(("/var/run/docker.sock", "Socket")), volume.Name);
            }
        }
    }

    [TestCaseSource(typeof(Cases), nameof(Cases.Containers))]
    public void OnlyTheDockerGateMountsTheNodesSocket(Overlay overlay, Container container)
    {
        var fromNode = (container.Workload.Pod.Volumes ?? []).Where(volume => volume.HostPath is not null).Select(volume => volume.Name).ToHashSet();
        var mounted = (container.Spec.VolumeMounts ?? []).Where(mount => fromNode.Contains(mount.Name)).ToList();
        if (mounted.Count > 0)
        {
            Assert.That((container.Workload.Name, container.Name, container.Spec.Args), Is.EqualTo(("execution", "docker-gate", (IList<string>)["docker-gate"])));
        }
    }
}
