using System.Diagnostics;
using WebIde.Collaboration.Sockets;

namespace WebIde.Collaboration.Documents;

/// <summary>
/// Something a document sends once Redis has every operation up to <see cref="AfterRevision"/>:
/// an operation (acked to its sender, passed on to the members that joined before it), a frame
/// for one connection, or a frame for every member but one.
/// </summary>
public readonly record struct OutgoingFrame(
    long AfterRevision,
    LogEntry? Entry = null,
    byte[]? Frame = null,
    CollabConnection? To = null,
    string? ExceptClientId = null,
    long SubmittedAt = 0,
    Activity? Span = null);
