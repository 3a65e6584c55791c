using System.Text.Json.Nodes;
using k8s.Models;
using WebIde.Deploy.UnitTests.Kubernetes;
using WebIde.Tests.Shared;

namespace WebIde.Deploy.UnitTests;

/// <summary>
/// Every socket of a workspace reaches one collaboration instance, whichever gateway pod takes it: the gateway hashes
/// the workspace with each instance's name (WorkspaceAffinityPolicy), so every gateway pod must list the same
/// instances, each one pod with a stable name, never a Service that spreads connections over its pods.
/// </summary>
public sealed class CollaborationAffinityTests
{
    private const string InstancesCluster = "collaboration-sockets";

    [TestCaseSource(typeof(Overlay), nameof(Overlay.All))]
    public void CollaborationRunsTwoInstancesOrMoreWithStableNames(Overlay overlay)
    {
        var collaboration = overlay.Manifests.Workload("collaboration");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(collaboration.StatefulSet, Is.Not.Null, "a StatefulSet names its pods");
            Assert.That(collaboration.Replicas, Is.GreaterThanOrEqualTo(2));
        }
    }

    /// <summary>The gateway's route table's instances (plus any its environment adds) are the collaboration pods, each by its own address.</summary>
    [TestCaseSource(typeof(Overlay), nameof(Overlay.All))]
    public void TheGatewaysInstancesAreTheCollaborationPods(Overlay overlay)
    {
        var manifests = overlay.Manifests;
        var collaboration = manifests.Workload("collaboration");
        var gateway = manifests.Workload("gateway");
        var environment = ContainerEnvironment.Of(gateway.Containers.Single(container => container.Name == "gateway"), manifests, "gateway-pod");
        var instances = RouteTableInstances().Concat(environment.Keys
            .Select(key => key.Split("__"))
            .Where(parts => parts is ["ReverseProxy", "Clusters", InstancesCluster, "Destinations", _, "Address"])
            .Select(parts => parts[4])).Distinct().Order().ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(instances, Is.EqualTo(collaboration.PodNames.Order()), "the gateway's collaboration instances");
            foreach (var instance in instances)
            {
                Assert.That(environment.GetValueOrDefault($"services__{instance}__http__0"), Is.EqualTo($"http://{instance}.{collaboration.StatefulSet!.Spec.ServiceName}:8080"), instance);
            }
        }
    }

    [TestCaseSource(typeof(Overlay), nameof(Overlay.All))]
    public void TheInstancesServiceIsHeadless(Overlay overlay)
    {
        var serviceName = overlay.Manifests.Workload("collaboration").StatefulSet!.Spec.ServiceName;
        Assert.That(overlay.Manifests.Of<V1Service>().Single(service => service.Name() == serviceName).Spec.ClusterIP, Is.EqualTo("None"));
    }

    /// <summary>The destinations of the collaboration cluster in gateway/appsettings.json, by name.</summary>
    private static IEnumerable<string> RouteTableInstances()
    {
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(Checkout.Root, "gateway", "appsettings.json")))!;
        return settings["ReverseProxy"]!["Clusters"]![InstancesCluster]!["Destinations"]!.AsObject().Select(destination => destination.Key);
    }
}
