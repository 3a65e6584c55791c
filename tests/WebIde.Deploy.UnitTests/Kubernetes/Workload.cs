using k8s.Models;

namespace WebIde.Deploy.UnitTests.Kubernetes;

/// <summary>A Deployment, StatefulSet or Job: its pod template and how many pods it runs.</summary>
public sealed record Workload(string Kind, string Name, V1PodTemplateSpec Template, int Replicas, V1StatefulSet? StatefulSet = null)
{
    public V1PodSpec Pod => Template.Spec;

    public IDictionary<string, string> Labels => Template.Metadata.Labels;

    /// <summary>Its containers, init containers first, each with the context a rule needs.</summary>
    public IEnumerable<Container> Containers =>
        (Pod.InitContainers ?? []).Select(container => new Container(this, container, IsInit: true))
            .Concat(Pod.Containers.Select(container => new Container(this, container, IsInit: false)));

    /// <summary>The names its pods get: a StatefulSet's are stable (its ordinals), others' are not.</summary>
    public IEnumerable<string> PodNames =>
        StatefulSet is { } set
            ? Enumerable.Range(set.Spec.Ordinals?.Start ?? 0, Replicas).Select(ordinal => $"{Name}-{ordinal}")
            : [$"{Name}-pod"];

    public override string ToString() => $"{Kind}/{Name}";
}
