using k8s.Models;
using WebIde.Deploy.UnitTests.Kubernetes;

namespace WebIde.Deploy.UnitTests;

/// <summary>
/// Nothing in the namespace is reachable, and nothing reaches out, unless a policy allows that path; the paths
/// allowed are the ones the platform uses: every address a container is configured with, and no pod outside the
/// namespace reaches any but the gateway.
/// </summary>
public sealed class NetworkPolicyTests
{
    public static IEnumerable<TestCaseData> Policies() =>
        Overlay.All.SelectMany(overlay => overlay.Manifests.Of<V1NetworkPolicy>().Select(policy =>
            new TestCaseData(overlay, policy).SetArgDisplayNames(overlay.Name, $"NetworkPolicy/{policy.Name()}")));

    [TestCaseSource(typeof(Overlay), nameof(Overlay.All))]
    public void DeniesEveryPathByDefault(Overlay overlay) =>
        Assert.That(overlay.Manifests.Of<V1NetworkPolicy>().Any(policy =>
            policy.Spec.PodSelector.MatchLabels is null or { Count: 0 }
            && policy.Spec.PodSelector.MatchExpressions is null or { Count: 0 }
            && policy.Spec.PolicyTypes.Contains("Ingress") && policy.Spec.PolicyTypes.Contains("Egress")
            && policy.Spec.Ingress is null or { Count: 0 } && policy.Spec.Egress is null or { Count: 0 }));

    /// <summary>Services, collaboration instances and MongoDB members are found by name.</summary>
    [TestCaseSource(typeof(Overlay), nameof(Overlay.All))]
    public void EveryPodReachesTheClusterDns(Overlay overlay) =>
        Assert.That(overlay.Manifests.Of<V1NetworkPolicy>().Any(policy =>
            policy.Spec.PodSelector.MatchLabels is null or { Count: 0 }
            && (policy.Spec.Egress ?? []).Any(rule =>
                (rule.Ports ?? []).Any(port => port.Protocol == "UDP" && port.Port?.Value == "53")
                && (rule.To ?? []).Any(peer => peer.NamespaceSelector?.MatchLabels is { } namespaceLabels
                    && namespaceLabels.TryGetValue("kubernetes.io/metadata.name", out var name) && name == "kube-system"))));

    [TestCaseSource(nameof(Policies))]
    public void SelectsPodsThatExist(Overlay overlay, V1NetworkPolicy policy)
    {
        var workloads = overlay.Manifests.Workloads;
        var peers = (policy.Spec.Ingress ?? []).SelectMany(rule => rule.FromProperty ?? [])
            .Concat((policy.Spec.Egress ?? []).SelectMany(rule => rule.To ?? []))
            .Where(peer => peer.NamespaceSelector is null && peer.PodSelector is not null)
            .Select(peer => peer.PodSelector);

        using (Assert.EnterMultipleScope())
        {
            foreach (var selector in peers.Prepend(policy.Spec.PodSelector))
            {
                Assert.That(workloads.Any(workload => NetworkPolicies.Selects(selector, workload.Labels)), $"no pod has {string.Join(", ", selector.MatchLabels ?? new Dictionary<string, string>())}");
            }
        }
    }

    /// <summary>From outside the namespace, the ingress controller reaches the gateway, and nothing reaches anything else.</summary>
    [TestCaseSource(nameof(Policies))]
    public void OnlyTheGatewayIsReachableFromOutsideTheNamespace(Overlay overlay, V1NetworkPolicy policy)
    {
        var fromOutside = (policy.Spec.Ingress ?? []).SelectMany(rule => rule.FromProperty ?? []).Any(peer => peer.NamespaceSelector is not null || peer.IpBlock is not null);
        if (fromOutside)
        {
            Assert.That(policy.Spec.PodSelector.MatchLabels, Is.EqualTo(new Dictionary<string, string> { ["app.kubernetes.io/name"] = "gateway" }));
        }
    }

    /// <summary>
    /// Each address a container is configured with (service discovery, connection strings, telemetry) names a Service
    /// whose pods listen there, and the policies let this pod through to them.
    /// </summary>
    [TestCaseSource(typeof(Cases), nameof(Cases.LongRunningContainers))]
    public void LetsThroughEveryAddressTheContainerIsConfiguredWith(Overlay overlay, Container container)
    {
        var manifests = overlay.Manifests;
        var environment = ContainerEnvironment.Of(container, manifests, container.Workload.PodNames.First());
        var directory = new ServiceDirectory(manifests);
        var policies = new NetworkPolicies(manifests);

        using (Assert.EnterMultipleScope())
        {
            foreach (var address in NetworkAddress.In(environment))
            {
                var target = directory.Resolve(address.Host, address.Port);
                Assert.That(target, Is.Not.Null, $"{address}: no Service's pods listen there");
                if (target is { } found)
                {
                    Assert.That(policies.Allows(container.Workload, found.Workload, found.Port), $"{address}: the policies do not let {container.Workload} reach {found.Workload} on {found.Port}");
                }
            }
        }
    }
}
