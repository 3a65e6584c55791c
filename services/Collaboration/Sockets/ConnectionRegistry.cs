using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using WebIde.Collaboration.Documents;
using WebIde.ServiceDefaults.Authentication;

namespace WebIde.Collaboration.Sockets;

/// <summary>
/// The editors connected to this instance, so that a logout, a removal from the workspace or
/// the workspace's deletion closes their sockets at once.
/// </summary>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, CollabConnection> _connections = new(StringComparer.Ordinal);

    public ConnectionRegistry(SessionRevocations revocations, IMeterFactory meters)
    {
        // What slow readers hold in memory: frames queued and not yet written to their sockets.
        meters.Create(CollaborationMetrics.Name).CreateObservableGauge("webide.collab.queue.bytes",
            () => _connections.Values.Sum(connection => connection.UnsentBytes), unit: "By", description: "Bytes of frames waiting to be written to editors' sockets");
        revocations.Revoked += sessionId => CloseWhere(connection => connection.SessionId == sessionId, CollabConnection.SessionEnded, "the session ended");
    }

    public IEnumerable<CollabConnection> Connections => _connections.Values;

    public void Add(CollabConnection connection) => _connections[connection.ClientId] = connection;

    public void Remove(CollabConnection connection) => _connections.TryRemove(connection.ClientId, out _);

    public void CloseUser(Guid workspaceId, Guid userId) =>
        CloseWhere(connection => connection.WorkspaceId == workspaceId && connection.UserId == userId, CollabConnection.AccessRevoked, "removed from the workspace");

    public void CloseWorkspace(Guid workspaceId) =>
        CloseWhere(connection => connection.WorkspaceId == workspaceId, CollabConnection.WorkspaceGone, "the workspace was deleted");

    private void CloseWhere(Func<CollabConnection, bool> which, int code, string reason)
    {
        foreach (var connection in _connections.Values.Where(which))
        {
            connection.Close(code, reason);
        }
    }
}
