using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using WebIde.Collaboration.Documents;
using WebIde.ServiceDefaults.Authentication;
using WebIde.ServiceDefaults.Authorization;

namespace WebIde.Collaboration.Sockets;

/// <summary>
/// The editors connected to this instance, so that a logout, a removal from the workspace or
/// the workspace's deletion closes their sockets at once (the events), or within a second when
/// an event is late (the membership watcher, through <see cref="ApplyRole"/>).
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

    /// <summary>
    /// What the <see cref="MembershipWatcher"/> found: no role closes the connection (a removal or
    /// a deletion, which identity does not tell apart), another one applies to its open documents.
    /// </summary>
    public Task ApplyRole(CollabConnection connection, WorkspaceRole role)
    {
        if (role == WorkspaceRole.None)
        {
            connection.Close(CollabConnection.AccessRevoked, "no longer a member of the workspace");
            return Task.CompletedTask;
        }
        foreach (var document in connection.Documents.Values)
        {
            document.UpdateAccess(connection.UserId, readOnly: role < WorkspaceRole.Editor);
        }
        return Task.CompletedTask;
    }

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
