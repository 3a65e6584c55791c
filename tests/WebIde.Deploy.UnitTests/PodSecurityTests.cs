using WebIde.Deploy.UnitTests.Kubernetes;

namespace WebIde.Deploy.UnitTests;

/// <summary>
/// Every container of every pod runs as a numeric non-root user, cannot gain privileges, has no capabilities, writes
/// nothing outside its volumes and is filtered by the runtime's seccomp profile: what a cluster enforcing the
/// "restricted" Pod Security level demands, and what limits a compromised process.
/// </summary>
public sealed class PodSecurityTests
{
    [TestCaseSource(typeof(Cases), nameof(Cases.Containers))]
    public void RunsAsANumericNonRootUserAndGroup(Overlay overlay, Container container)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(container.RunAsNonRoot, Is.True, "runAsNonRoot");
            Assert.That(container.RunAsUser, Is.Not.Null.And.GreaterThan(0), "runAsUser");
            Assert.That(container.RunAsGroup, Is.Not.Null.And.GreaterThan(0), "runAsGroup");
        }
    }

    [TestCaseSource(typeof(Cases), nameof(Cases.Containers))]
    public void CannotEscalatePrivileges(Overlay overlay, Container container) =>
        Assert.That(container.Security.AllowPrivilegeEscalation, Is.False);

    [TestCaseSource(typeof(Cases), nameof(Cases.Containers))]
    public void DropsEveryCapabilityAndAddsNone(Overlay overlay, Container container)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(container.Security.Capabilities?.Drop, Is.EqualTo(new[] { "ALL" }));
            Assert.That(container.Security.Capabilities?.Add, Is.Null.Or.Empty);
            Assert.That(container.Security.Privileged, Is.Not.True);
        }
    }

    [TestCaseSource(typeof(Cases), nameof(Cases.Containers))]
    public void HasAReadOnlyRootFilesystem(Overlay overlay, Container container) =>
        Assert.That(container.Security.ReadOnlyRootFilesystem, Is.True);

    [TestCaseSource(typeof(Cases), nameof(Cases.Containers))]
    public void IsFilteredByTheRuntimesSeccompProfile(Overlay overlay, Container container) =>
        Assert.That(container.SeccompProfile, Is.EqualTo("RuntimeDefault"));

    /// <summary>No pod talks to the Kubernetes API, so none holds a token for it.</summary>
    [TestCaseSource(typeof(Cases), nameof(Cases.Workloads))]
    public void MountsNoServiceAccountToken(Overlay overlay, Workload workload) =>
        Assert.That(workload.Pod.AutomountServiceAccountToken, Is.False);
}
