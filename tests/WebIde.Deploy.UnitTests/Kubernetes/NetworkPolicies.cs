using k8s.Models;

namespace WebIde.Deploy.UnitTests.Kubernetes;

/// <summary>
/// What the rendered NetworkPolicies let through, within the namespace, as a network plugin enforces them: a
/// connection needs an egress rule of a policy selecting the client and an ingress rule of one selecting the server.
/// </summary>
public sealed class NetworkPolicies(RenderedManifests manifests)
{
    private IEnumerable<V1NetworkPolicy> Policies => manifests.Of<V1NetworkPolicy>();

    public bool Allows(Workload from, Workload to, int port) =>
        Policies.Where(policy => policy.Spec.PolicyTypes.Contains("Egress") && Selects(policy.Spec.PodSelector, from.Labels))
            .SelectMany(policy => policy.Spec.Egress ?? [])
            .Any(rule => (rule.To ?? []).Any(peer => InNamespace(peer, to.Labels)) && AllowsPort(rule.Ports, port))
        && Policies.Where(policy => policy.Spec.PolicyTypes.Contains("Ingress") && Selects(policy.Spec.PodSelector, to.Labels))
            .SelectMany(policy => policy.Spec.Ingress ?? [])
            .Any(rule => (rule.FromProperty ?? []).Any(peer => InNamespace(peer, from.Labels)) && AllowsPort(rule.Ports, port));

    /// <summary>A selector of matchLabels only (matchExpressions are not used here, and would be refused).</summary>
    public static bool Selects(V1LabelSelector selector, IDictionary<string, string> labels) =>
        selector.MatchExpressions is null or { Count: 0 }
            ? (selector.MatchLabels ?? new Dictionary<string, string>()).All(label => labels.TryGetValue(label.Key, out var value) && value == label.Value)
            : throw new NotSupportedException("matchExpressions");

    private static bool InNamespace(V1NetworkPolicyPeer peer, IDictionary<string, string> labels) =>
        peer.NamespaceSelector is null && peer.IpBlock is null && peer.PodSelector is { } selector && Selects(selector, labels);

    private static bool AllowsPort(IList<V1NetworkPolicyPort>? ports, int port) =>
        ports is null or { Count: 0 } || ports.Any(allowed => allowed.Port?.Value == port.ToString(System.Globalization.CultureInfo.InvariantCulture) && (allowed.Protocol ?? "TCP") == "TCP");
}
