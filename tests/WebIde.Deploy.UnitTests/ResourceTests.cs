using WebIde.Deploy.UnitTests.Kubernetes;

namespace WebIde.Deploy.UnitTests;

/// <summary>Every container says what it needs (requests: where it can be scheduled) and what it may take (limits: what one pod can take from its neighbours).</summary>
public sealed class ResourceTests
{
    private static readonly string[] Resources = ["cpu", "memory"];

    [TestCaseSource(typeof(Cases), nameof(Cases.Containers))]
    public void RequestsCpuAndMemory(Overlay overlay, Container container) =>
        Assert.That(container.Spec.Resources?.Requests?.Keys, Is.SupersetOf(Resources));

    [TestCaseSource(typeof(Cases), nameof(Cases.Containers))]
    public void IsLimitedInCpuAndMemory(Overlay overlay, Container container) =>
        Assert.That(container.Spec.Resources?.Limits?.Keys, Is.SupersetOf(Resources));

    [TestCaseSource(typeof(Cases), nameof(Cases.Containers))]
    public void RequestsNoMoreThanItsLimit(Overlay overlay, Container container)
    {
        var resources = container.Spec.Resources;
        using (Assert.EnterMultipleScope())
        {
            foreach (var resource in Resources)
            {
                Assert.That(resources.Requests[resource].ToDecimal(), Is.LessThanOrEqualTo(resources.Limits[resource].ToDecimal()), resource);
            }
        }
    }
}
