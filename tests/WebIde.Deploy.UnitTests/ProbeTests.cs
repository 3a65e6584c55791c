using k8s.Models;
using WebIde.Deploy.UnitTests.Kubernetes;

namespace WebIde.Deploy.UnitTests;

/// <summary>
/// The kubelet knows when each container may take traffic (readiness) and when it is stuck for good (liveness). A
/// platform service's liveness is <c>/alive</c>, which checks nothing but the process: on <c>/health</c>, which checks
/// Redis, the store and the bus, an outage of one of them would restart every pod (docs/platform.md, "Health").
/// </summary>
public sealed class ProbeTests
{
    /// <summary>The endpoints every platform service maps (ServiceDefaults' HealthExtensions).</summary>
    private static readonly string[] HealthPaths = ["/health", "/alive"];

    [TestCaseSource(typeof(Cases), nameof(Cases.LongRunningContainers))]
    public void HasReadinessAndLivenessProbes(Overlay overlay, Container container)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(container.Spec.ReadinessProbe, Is.Not.Null, "readiness");
            Assert.That(container.Spec.LivenessProbe, Is.Not.Null, "liveness");
        }
    }

    [TestCaseSource(typeof(Cases), nameof(Cases.LongRunningContainers))]
    public void ProbesAPortTheContainerDeclares(Overlay overlay, Container container)
    {
        var ports = container.Spec.Ports ?? [];
        using (Assert.EnterMultipleScope())
        {
            foreach (var port in Probes(container).Select(PortOf).OfType<IntOrString>())
            {
                Assert.That(ports.Any(declared => declared.Name == port.Value || declared.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == port.Value), $"port {port.Value}");
            }
        }
    }

    [TestCaseSource(typeof(Cases), nameof(Cases.LongRunningContainers))]
    public void ServiceLivenessIsAliveOverHttp(Overlay overlay, Container container)
    {
        if (!IsServingPlatformService(container))
        {
            Assert.Pass("not a platform service with ports");
        }
        Assert.That(container.Spec.LivenessProbe?.HttpGet?.Path, Is.EqualTo("/alive"));
    }

    [TestCaseSource(typeof(Cases), nameof(Cases.LongRunningContainers))]
    public void ServiceReadinessIsAHealthEndpointOverHttp(Overlay overlay, Container container)
    {
        if (!IsServingPlatformService(container))
        {
            Assert.Pass("not a platform service with ports");
        }
        Assert.That(container.Spec.ReadinessProbe?.HttpGet?.Path, Is.AnyOf(HealthPaths));
    }

    private static bool IsServingPlatformService(Container container) =>
        PlatformImages.IsDotnetService(container.Spec.Image) && container.Spec.Ports is { Count: > 0 };

    private static IEnumerable<V1Probe> Probes(Container container) =>
        new[] { container.Spec.ReadinessProbe, container.Spec.LivenessProbe, container.Spec.StartupProbe }.OfType<V1Probe>();

    private static IntOrString? PortOf(V1Probe probe) => probe.HttpGet?.Port ?? probe.TcpSocket?.Port;
}
