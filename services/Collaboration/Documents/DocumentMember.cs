using WebIde.Collaboration.Presence;
using WebIde.Collaboration.Sockets;

namespace WebIde.Collaboration.Documents;

/// <summary>A connection that has joined a document on this instance.</summary>
public sealed class DocumentMember(CollabConnection connection, bool readOnly, Peer peer, long joinedRevision)
{
    public CollabConnection Connection => connection;

    public bool ReadOnly { get; set; } = readOnly;

    public Peer Peer { get; set; } = peer;

    /// <summary>The revision its <c>joined</c> frame brought it to: it is sent only the operations after it.</summary>
    public long JoinedRevision => joinedRevision;

    /// <summary>When its selection was last passed on (a timestamp), to pass on a few a second at most.</summary>
    public long SelectionSentAt { get; set; }

    /// <summary>A newer selection waits for the interval to pass; it is sent then, whatever the latest is by that time.</summary>
    public bool SelectionWaiting { get; set; }
}
