using WebIde.Collaboration.Presence;
using WebIde.Ot;

namespace WebIde.Collaboration.Sockets;

/// <summary>A message from an editor: join, op, selection or leave, with the fields its type uses.</summary>
public sealed record ClientMessage(
    string Type,
    string Path,
    long? Revision = null,
    string? Id = null,
    TextOperation? Op = null,
    IReadOnlyList<Selection>? Selections = null);
