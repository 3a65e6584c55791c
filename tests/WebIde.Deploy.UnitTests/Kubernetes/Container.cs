using k8s.Models;

namespace WebIde.Deploy.UnitTests.Kubernetes;

/// <summary>One container of a workload's pods, with the pod's settings it inherits.</summary>
public sealed record Container(Workload Workload, V1Container Spec, bool IsInit)
{
    public string Name => Spec.Name;

    public V1PodSecurityContext PodSecurity => Workload.Pod.SecurityContext ?? new V1PodSecurityContext();

    public V1SecurityContext Security => Spec.SecurityContext ?? new V1SecurityContext();

    public bool RunAsNonRoot => Security.RunAsNonRoot ?? PodSecurity.RunAsNonRoot ?? false;

    public long? RunAsUser => Security.RunAsUser ?? PodSecurity.RunAsUser;

    public long? RunAsGroup => Security.RunAsGroup ?? PodSecurity.RunAsGroup;

    public string? SeccompProfile => Security.SeccompProfile?.Type ?? PodSecurity.SeccompProfile?.Type;

    public override string ToString() => $"{Workload}/{(IsInit ? "init:" : "")}{Name}";
}
