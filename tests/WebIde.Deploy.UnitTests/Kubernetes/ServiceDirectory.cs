using k8s.Models;

namespace WebIde.Deploy.UnitTests.Kubernetes;

/// <summary>Which workload's pods answer at a host name and port inside the namespace, through its Services.</summary>
public sealed class ServiceDirectory(RenderedManifests manifests)
{
    /// <summary>
    /// <c>identity</c> (a Service) or <c>collaboration-1.collaboration</c> (a pod of a headless Service): the workload
    /// behind it and the port its pods listen on, or null when nothing answers there.
    /// </summary>
    public (Workload Workload, int Port)? Resolve(string host, int port)
    {
        var labels = host.Split('.');
        var (podName, serviceName) = labels switch
        {
            [var onlyService] => (null, onlyService),
            [var pod, var headless] => (pod, headless),
            _ => ((string?)null, (string?)null),
        };
        var service = manifests.Of<V1Service>().SingleOrDefault(candidate => candidate.Name() == serviceName);
        var servicePort = service?.Spec.Ports.SingleOrDefault(candidate => candidate.Port == port);
        if (service is null || servicePort is null || (podName is not null && service.Spec.ClusterIP != "None"))
        {
            return null;
        }
        var workload = manifests.Workloads.SingleOrDefault(candidate => candidate.Kind != "Job" && NetworkPolicies.Selects(new V1LabelSelector { MatchLabels = service.Spec.Selector }, candidate.Labels));
        if (workload is null || (podName is not null && !workload.PodNames.Contains(podName)))
        {
            return null;
        }
        var target = servicePort.TargetPort?.Value ?? port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var containerPort = workload.Pod.Containers.SelectMany(container => container.Ports ?? [])
            .FirstOrDefault(candidate => candidate.Name == target || candidate.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == target);
        return containerPort is null ? null : (workload, containerPort.ContainerPort);
    }
}
