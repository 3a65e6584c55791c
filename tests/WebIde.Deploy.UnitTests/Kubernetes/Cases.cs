namespace WebIde.Deploy.UnitTests.Kubernetes;

/// <summary>Test cases over what every overlay renders, named by overlay and object, so a failure says where.</summary>
public static class Cases
{
    public static IEnumerable<TestCaseData> Workloads() =>
        Overlay.All.SelectMany(overlay => overlay.Manifests.Workloads.Select(workload =>
            new TestCaseData(overlay, workload).SetArgDisplayNames(overlay.Name, workload.ToString())));

    /// <summary>Every container, init containers included.</summary>
    public static IEnumerable<TestCaseData> Containers() =>
        Overlay.All.SelectMany(overlay => overlay.Manifests.Workloads.SelectMany(workload => workload.Containers).Select(container =>
            new TestCaseData(overlay, container).SetArgDisplayNames(overlay.Name, container.ToString())));

    /// <summary>The containers that run for the pod's life (init containers run once, before them).</summary>
    public static IEnumerable<TestCaseData> LongRunningContainers() =>
        Overlay.All.SelectMany(overlay => overlay.Manifests.Workloads.Where(workload => workload.Kind != "Job")
            .SelectMany(workload => workload.Containers).Where(container => !container.IsInit).Select(container =>
                new TestCaseData(overlay, container).SetArgDisplayNames(overlay.Name, container.ToString())));
}
