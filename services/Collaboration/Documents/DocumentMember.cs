using WebIde.Collaboration.Presence;
using WebIde.Collaboration.Sockets;

namespace WebIde.Collaboration.Documents;

/// <summary>A connection that has joined a document on this instance.</summary>
public sealed class DocumentMember(CollabConnection connection, bool readOnly, Peer peer)
{
    public CollabConnection Connection => connection;

    public bool ReadOnly { get; set; } = readOnly;

    public Peer Peer { get; set; } = peer;
}
