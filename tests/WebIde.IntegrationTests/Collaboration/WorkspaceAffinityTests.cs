using WebIde.IntegrationTests.Collaboration.Protocol;

namespace WebIde.IntegrationTests.Collaboration;

/// <summary>
/// The gateway sends every socket of a workspace to one collaboration instance (the one that
/// owns its documents), so a document's editors never make its instances take it from each other.
/// </summary>
public sealed class WorkspaceAffinityTests
{
    private const int Sockets = 10;

    [Test]
    public async Task EverySocketOfAWorkspaceReachesTheSameInstance()
    {
        using var workspace = await CollabWorkspace.CreateAsync("notes.txt", "hello");
        var replicas = CollaborationReplicas.Find();
        Assert.That(replicas, Has.Count.GreaterThanOrEqualTo(2), "collaboration instances");
        var before = replicas.ToDictionary(replica => replica, CollaborationReplicas.EstablishedConnections);

        var sockets = new List<JsonSocketClient>();
        try
        {
            for (var i = 0; i < Sockets; i++)
            {
                // Joined, so each socket is served (not only accepted) before it is counted.
                sockets.Add((await workspace.JoinAsync("notes.txt")).Socket);
            }
            var grown = replicas.ToDictionary(replica => replica, replica => CollaborationReplicas.EstablishedConnections(replica) - before[replica]);

            // Other connections of the instances (Redis, gRPC, each gateway's pooled health probes,
            // an earlier test's socket closing) may come and go meanwhile, on either instance; the
            // instance that did not get the workspace gains no more than one.
            var counts = $"connections added per instance: {string.Join(", ", grown.Values)}";
            Assert.That(grown.Values.Count(growth => growth >= Sockets / 2), Is.EqualTo(1), counts);
            Assert.That(grown.Values.Count(growth => growth >= 2), Is.EqualTo(1), counts);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }
        }
    }
}
