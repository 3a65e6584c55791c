using Microsoft.AspNetCore.Http;
using WebIde.Gateway.Routing;
using Yarp.ReverseProxy.Model;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>The choice of collaboration instance for a workspace, without a gateway around it.</summary>
public sealed class WorkspaceAffinityPolicyTests
{
    private static readonly ClusterState Cluster = new("collaboration-sockets");

    [Test]
    public void AWorkspaceAlwaysGetsTheSameDestinationInWhateverOrderTheyAreListed()
    {
        var destinations = Destinations("collaboration-1", "collaboration-2", "collaboration-3");
        // Fresh states with the same ids, listed backwards: only the ids may count.
        var again = Destinations("collaboration-3", "collaboration-2", "collaboration-1");

        foreach (var workspace in Workspaces(200))
        {
            var first = Pick(workspace, destinations)?.DestinationId;
            using (Assert.EnterMultipleScope())
            {
                Assert.That(first, Is.Not.Null);
                Assert.That(Pick(workspace, destinations)?.DestinationId, Is.EqualTo(first), workspace);
                Assert.That(Pick(workspace, again)?.DestinationId, Is.EqualTo(first), workspace);
            }
        }
    }

    [Test]
    public void EveryGatewayProcessPicksAlike()
    {
        // Fixed here once: a hash seeded per process (string.GetHashCode) would move some of
        // these from run to run, and two gateways would split a workspace.
        var destinations = Destinations("collaboration-1", "collaboration-2");
        var expected = new Dictionary<string, string>
        {
            ["00000000-0000-0000-0000-000000000001"] = "collaboration-2",
            ["00000000-0000-0000-0000-000000000002"] = "collaboration-2",
            ["00000000-0000-0000-0000-000000000003"] = "collaboration-2",
            ["00000000-0000-0000-0000-000000000004"] = "collaboration-2",
            ["00000000-0000-0000-0000-000000000005"] = "collaboration-2",
            ["00000000-0000-0000-0000-000000000006"] = "collaboration-1",
            ["00000000-0000-0000-0000-000000000007"] = "collaboration-2",
            ["00000000-0000-0000-0000-000000000008"] = "collaboration-1",
        };

        var picked = expected.Keys.Select(workspace => $"{workspace} {Pick(workspace, destinations)?.DestinationId}").ToList();

        Assert.That(picked, Is.EqualTo(expected.Select(pair => $"{pair.Key} {pair.Value}")));
    }

    [Test]
    public void RemovingADestinationMovesOnlyTheWorkspacesThatWereOnIt()
    {
        var all = Destinations("collaboration-1", "collaboration-2", "collaboration-3", "collaboration-4", "collaboration-5");
        var workspaces = Workspaces(1000).ToList();
        var before = workspaces.ToDictionary(workspace => workspace, workspace => Pick(workspace, all)!.DestinationId);

        foreach (var removed in all)
        {
            var remaining = all.Where(destination => destination != removed).ToList();
            var moved = workspaces.Where(workspace => Pick(workspace, remaining)!.DestinationId != before[workspace]).ToList();
            var wereOnRemoved = workspaces.Where(workspace => before[workspace] == removed.DestinationId).ToList();

            using (Assert.EnterMultipleScope())
            {
                Assert.That(wereOnRemoved, Is.Not.Empty, removed.DestinationId);
                Assert.That(moved, Is.EquivalentTo(wereOnRemoved), removed.DestinationId);
            }
        }
    }

    [Test]
    public void TwoDestinationsShareManyWorkspacesRoughlyEvenly()
    {
        var destinations = Destinations("collaboration-1", "collaboration-2");

        var counts = Workspaces(1000)
            .GroupBy(workspace => Pick(workspace, destinations)!.DestinationId)
            .ToDictionary(group => group.Key, group => group.Count());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(counts.GetValueOrDefault("collaboration-1"), Is.InRange(350, 650));
            Assert.That(counts.GetValueOrDefault("collaboration-2"), Is.InRange(350, 650));
        }
    }

    [TestCase("/ws/collab/6f1c0f1e-0000-4000-8000-000000000001")]
    [TestCase("/ws/echo")]
    public void NoDestinationGivesNone(string path)
    {
        var policy = new WorkspaceAffinityPolicy();

        Assert.That(policy.PickDestination(Request(path), Cluster, []), Is.Null);
    }

    [TestCase("/ws/collab/6f1c0f1e-0000-4000-8000-00000000000a", "6f1c0f1e-0000-4000-8000-00000000000a")]
    [TestCase("/ws/collab/6F1C0F1E-0000-4000-8000-00000000000A", "6f1c0f1e-0000-4000-8000-00000000000a")]
    [TestCase("/ws/collab/6f1c0f1e00004000800000000000000a", "6f1c0f1e-0000-4000-8000-00000000000a")]
    [TestCase("/ws/collab/6f1c0f1e-0000-4000-8000-00000000000a/more", "6f1c0f1e-0000-4000-8000-00000000000a")]
    [TestCase("/ws/collab/not-a-guid", "not-a-guid")]
    [TestCase("/ws/collab/", null)]
    [TestCase("/ws/collab", null)]
    [TestCase("/ws/collaboration/6f1c0f1e-0000-4000-8000-00000000000a", null)]
    [TestCase("/ws/echo", null)]
    [TestCase("/ws/exec/6F1C0F1E-0000-4000-8000-00000000000A", "6f1c0f1e-0000-4000-8000-00000000000a")]
    [TestCase("/ws/lsp/6f1c0f1e-0000-4000-8000-00000000000a/python", "6f1c0f1e-0000-4000-8000-00000000000a")]
    [TestCase("/api/workspaces/6f1c0f1e-0000-4000-8000-00000000000a/runs", "6f1c0f1e-0000-4000-8000-00000000000a")]
    [TestCase("/api/languages", null)]
    [TestCase("/webide.execution.v1.Execution/Run", null)]
    public void TheWorkspaceIsTheFirstSegmentAfterAWorkspaceRoutesPrefix(string path, string? workspace)
    {
        Assert.That(WorkspaceAffinityPolicy.WorkspaceOf(path), Is.EqualTo(workspace));
    }

    [Test]
    public void ASocketGoesWhereItsWorkspaceHashes()
    {
        var policy = new WorkspaceAffinityPolicy();
        var destinations = Destinations("collaboration-1", "collaboration-2");

        foreach (var workspace in Workspaces(50))
        {
            var expected = WorkspaceAffinityPolicy.PickFor(workspace, destinations);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(policy.PickDestination(Request($"/ws/collab/{workspace}"), Cluster, destinations), Is.SameAs(expected));
                Assert.That(policy.PickDestination(Request($"/ws/collab/{workspace.ToUpperInvariant()}"), Cluster, destinations), Is.SameAs(expected));
            }
        }
    }

    [Test]
    public void EchoSocketsHaveNoWorkspaceAndTakeTurns()
    {
        var policy = new WorkspaceAffinityPolicy();
        var destinations = Destinations("collaboration-1", "collaboration-2");

        var picked = Enumerable.Range(0, 6).Select(_ => policy.PickDestination(Request("/ws/echo"), Cluster, destinations)!.DestinationId).ToList();

        Assert.That(picked, Is.EqualTo(new[] { "collaboration-1", "collaboration-2", "collaboration-1", "collaboration-2", "collaboration-1", "collaboration-2" }));
    }

    private static DestinationState? Pick(string workspace, IReadOnlyList<DestinationState> destinations) =>
        WorkspaceAffinityPolicy.PickFor(workspace, destinations);

    private static List<DestinationState> Destinations(params string[] ids) => [.. ids.Select(id => new DestinationState(id))];

    /// <summary>Workspace ids as the service makes them, the same in every run.</summary>
    private static IEnumerable<string> Workspaces(int count)
    {
        var random = new Random(20240601);
        var bytes = new byte[16];
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(bytes);
            yield return new Guid(bytes).ToString("D");
        }
    }

    private static DefaultHttpContext Request(string path) => new() { Request = { Path = path } };
}
