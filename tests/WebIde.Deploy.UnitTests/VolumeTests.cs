using WebIde.Deploy.UnitTests.Kubernetes;

namespace WebIde.Deploy.UnitTests;

/// <summary>
/// What a workload keeps on a persistent volume stays as it wrote it across restarts. The kubelet hands a volume to the
/// pod's fsGroup by making every file group-readable and writable; done at every start (the default), that breaks files
/// whose owner must be the only reader, as RabbitMQ's Erlang cookie.
/// </summary>
public sealed class VolumeTests
{
    [TestCaseSource(typeof(Cases), nameof(Cases.Workloads))]
    public void PersistentVolumesAreHandedToTheGroupOnlyWhenNew(Overlay overlay, Workload workload)
    {
        if (workload.StatefulSet?.Spec.VolumeClaimTemplates is not { Count: > 0 } || workload.Pod.SecurityContext?.FsGroup is null)
        {
            Assert.Pass("no persistent volume handed to a group");
        }
        Assert.That(workload.Pod.SecurityContext.FsGroupChangePolicy, Is.EqualTo("OnRootMismatch"));
    }
}
