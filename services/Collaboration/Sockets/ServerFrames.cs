using System.Globalization;
using System.Text;
using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Presence;

namespace WebIde.Collaboration.Sockets;

/// <summary>
/// The server's frames, written by hand so a document's text and inserts keep lone surrogates
/// exactly as JavaScript's JSON.stringify would (System.Text.Json would replace them).
/// </summary>
public static class ServerFrames
{
    public static byte[] JoinedFresh(string path, long revision, string content, bool readOnly, IEnumerable<string> peers, string clientId) =>
        Joined(path, revision, readOnly, peers, clientId).Append(",\"content\":").AppendQuoted(content).Append('}').ToUtf8();

    public static byte[] JoinedResumed(string path, long revision, IEnumerable<LogEntry> ops, bool readOnly, IEnumerable<string> peers, string clientId)
    {
        var json = Joined(path, revision, readOnly, peers, clientId).Append(",\"ops\":[");
        var first = true;
        foreach (var entry in ops)
        {
            json.Append(first ? "" : ",")
                .Append("{\"revision\":").Append(Number(entry.Revision))
                .Append(",\"op\":").Append(entry.OpJson)
                .Append(",\"clientId\":").AppendQuoted(entry.ClientId)
                .Append(",\"id\":").AppendQuoted(entry.Id).Append('}');
            first = false;
        }
        return json.Append("]}").ToUtf8();
    }

    public static byte[] Ack(string path, long revision, string id) =>
        Start("ack", path).Append(",\"revision\":").Append(Number(revision)).Append(",\"id\":").AppendQuoted(id).Append('}').ToUtf8();

    public static byte[] Op(string path, LogEntry entry) =>
        Start("op", path)
            .Append(",\"revision\":").Append(Number(entry.Revision))
            .Append(",\"op\":").Append(entry.OpJson)
            .Append(",\"clientId\":").AppendQuoted(entry.ClientId)
            .Append(",\"id\":").AppendQuoted(entry.Id).Append('}').ToUtf8();

    public static byte[] Selection(string path, string clientId, string username, IReadOnlyList<Selection> selections) =>
        AppendSelections(Start("selection", path).Append(",\"clientId\":").AppendQuoted(clientId).Append(",\"username\":").AppendQuoted(username), selections)
            .Append('}').ToUtf8();

    public static byte[] PeerJoined(string path, string peerJson) =>
        Start("peer-joined", path).Append(",\"peer\":").Append(peerJson).Append('}').ToUtf8();

    public static byte[] PeerLeft(string path, string clientId) =>
        Start("peer-left", path).Append(",\"clientId\":").AppendQuoted(clientId).Append('}').ToUtf8();

    /// <summary>The document is no longer open for this client: its file was deleted or moved (to <paramref name="to"/>).</summary>
    public static byte[] Closed(string path, string reason, string? to) =>
        (to is null ? Start("closed", path) : Start("closed", path).Append(",\"to\":").AppendQuoted(to))
            .Append(",\"reason\":").AppendQuoted(reason).Append('}').ToUtf8();

    /// <param name="id">The refused message's id, when it had one.</param>
    /// <param name="path">The document the refused message named, when it named one (docs/api.md §4).</param>
    public static byte[] Error(string code, string message, string? id = null, string? path = null)
    {
        var json = new StringBuilder("{\"type\":\"error\",\"code\":").AppendQuoted(code).Append(",\"message\":").AppendQuoted(message);
        if (id is not null)
        {
            json.Append(",\"id\":").AppendQuoted(id);
        }
        if (path is not null)
        {
            json.Append(",\"path\":").AppendQuoted(path);
        }
        return json.Append('}').ToUtf8();
    }

    public static string PeerJson(Peer peer) =>
        AppendSelections(new StringBuilder()
            .Append("{\"clientId\":").AppendQuoted(peer.ClientId)
            .Append(",\"userId\":\"").Append(peer.UserId.ToString("D")).Append('"')
            .Append(",\"username\":").AppendQuoted(peer.Username)
            .Append(",\"color\":").AppendQuoted(peer.Color), peer.Selections)
            .Append('}').ToString();

    /// <param name="peers">Each peer's JSON as <see cref="PeerJson"/> wrote it (kept so in Redis).</param>
    private static StringBuilder Joined(string path, long revision, bool readOnly, IEnumerable<string> peers, string clientId)
    {
        var json = Start("joined", path)
            .Append(",\"revision\":").Append(Number(revision))
            .Append(",\"readOnly\":").Append(readOnly ? "true" : "false")
            .Append(",\"clientId\":").AppendQuoted(clientId)
            .Append(",\"peers\":[");
        var first = true;
        foreach (var peer in peers)
        {
            json.Append(first ? "" : ",").Append(peer);
            first = false;
        }
        return json.Append(']');
    }

    private static StringBuilder AppendSelections(StringBuilder json, IReadOnlyList<Selection> selections)
    {
        json.Append(",\"selections\":[");
        for (var i = 0; i < selections.Count; i++)
        {
            json.Append(i == 0 ? "" : ",")
                .Append("{\"anchor\":").Append(Number(selections[i].Anchor))
                .Append(",\"head\":").Append(Number(selections[i].Head)).Append('}');
        }
        return json.Append(']');
    }

    private static StringBuilder Start(string type, string path) =>
        new StringBuilder("{\"type\":\"").Append(type).Append("\",\"path\":").AppendQuoted(path);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static byte[] ToUtf8(this StringBuilder json) => Encoding.UTF8.GetBytes(json.ToString());
}
