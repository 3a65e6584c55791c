using k8s.Models;
using WebIde.Deploy.UnitTests.Kubernetes;

namespace WebIde.Deploy.UnitTests;

/// <summary>A workload of two pods or more keeps one running through a node drain: a PodDisruptionBudget lets them go one at a time.</summary>
public sealed class DisruptionBudgetTests
{
    [TestCaseSource(typeof(Cases), nameof(Cases.Workloads))]
    public void AWorkloadOfSeveralPodsHasABudget(Overlay overlay, Workload workload)
    {
        if (overlay.Manifests.LeastReplicas(workload) < 2)
        {
            Assert.Pass("a single pod");
        }
        var budgets = overlay.Manifests.Of<V1PodDisruptionBudget>().Where(budget => NetworkPolicies.Selects(budget.Spec.Selector, workload.Labels)).ToList();

        Assert.That(budgets, Has.Count.EqualTo(1));
        Assert.That(budgets[0].Spec.MaxUnavailable?.Value, Is.EqualTo("1"), "one pod at a time");
    }

    [TestCaseSource(typeof(Overlay), nameof(Overlay.All))]
    public void EveryBudgetSelectsPodsThatExist(Overlay overlay)
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (var budget in overlay.Manifests.Of<V1PodDisruptionBudget>())
            {
                Assert.That(overlay.Manifests.Workloads.Count(workload => NetworkPolicies.Selects(budget.Spec.Selector, workload.Labels)), Is.EqualTo(1), budget.Name());
            }
        }
    }

    /// <summary>In production every service runs on two pods or more, so losing one node or pod takes none down.</summary>
    [TestCase("gateway")]
    [TestCase("identity")]
    [TestCase("filesystem")]
    [TestCase("collaboration")]
    [TestCase("execution")]
    public void ProductionRunsEveryServiceOnTwoPodsOrMore(string service) =>
        Assert.That(Overlay.Production.Manifests.LeastReplicas(Overlay.Production.Manifests.Workload(service)), Is.GreaterThanOrEqualTo(2));

    [Test]
    public void ProductionRunsAThreeMemberReplicaSet() =>
        Assert.That(Overlay.Production.Manifests.Workload("mongo").Replicas, Is.EqualTo(3));

    /// <summary>The services' connection strings and the job that forms the set list every member, and only those.</summary>
    [TestCaseSource(typeof(Overlay), nameof(Overlay.All))]
    public void TheReplicaSetsHostListIsItsMembers(Overlay overlay)
    {
        var manifests = overlay.Manifests;
        Assert.That(manifests.ConfigMap("platform").Data["MONGO_HOSTS"].Split(','), Is.EqualTo(manifests.Workload("mongo").PodNames.Select(pod => $"{pod}.mongo:27017")));
    }
}
