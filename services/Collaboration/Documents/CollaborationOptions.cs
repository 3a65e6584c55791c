using System.ComponentModel.DataAnnotations;

namespace WebIde.Collaboration.Documents;

/// <summary>Limits and timings of collaborative editing (<c>Collaboration</c> in configuration).</summary>
public sealed class CollaborationOptions
{
    public const string Section = "Collaboration";

    /// <summary>Largest client frame; a larger one is refused with <c>too_large</c>.</summary>
    [Range(1024, 64 << 20)]
    public int MaxMessageBytes { get; set; } = 1 << 20;

    /// <summary>Longest document, in UTF-16 code units, as ot.js and Monaco count.</summary>
    [Range(1024, 64 << 20)]
    public int MaxDocumentLength { get; set; } = 2 << 20;

    /// <summary>Messages a connection may send per second over time (token bucket refill).</summary>
    [Range(1, 100_000)]
    public double MessagesPerSecond { get; set; } = 50;

    /// <summary>Messages a connection may send at once after a pause (token bucket size).</summary>
    [Range(1, 100_000)]
    public double MessageBurst { get; set; } = 100;

    /// <summary>
    /// Bytes of frames one user may send per second over time, over all their sockets on an
    /// instance together. Typing is well under 1 KiB a second; what this bounds is how much one
    /// account can put into Redis, where every operation stays for <see cref="History"/>.
    /// </summary>
    [Range(1024, 1 << 30)]
    public double UserBytesPerSecond { get; set; } = 64 << 10;

    /// <summary>Bytes one user may send at once after a pause: several of the largest messages (pastes).</summary>
    [Range(1024, 1 << 30)]
    public double UserByteBurst { get; set; } = 8 << 20;

    /// <summary>Sockets one user may have open on an instance; one more is closed with 4029.</summary>
    [Range(1, 10_000)]
    public int MaxSocketsPerUser { get; set; } = 16;

    /// <summary>How long a document's operations stay replayable for clients that reconnect.</summary>
    public TimeSpan History { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long changes may wait before they are written to the file (docs/api.md §3 allows 2 s).</summary>
    public TimeSpan SnapshotDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often, at most, a client's cursor and selection moves are passed on to the others.</summary>
    public TimeSpan SelectionInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Bytes of frames waiting for a slow client beyond which it is disconnected (4008). The frame
    /// it is receiving is not counted, so a <c>joined</c> as large as the document always goes out.
    /// </summary>
    [Range(64 << 10, 1 << 30)]
    public int MaxQueuedBytes { get; set; } = 4 << 20;
}
