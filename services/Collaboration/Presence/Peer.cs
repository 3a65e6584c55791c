namespace WebIde.Collaboration.Presence;

/// <summary>Someone with a document open, as the others see them.</summary>
public sealed record Peer(string ClientId, Guid UserId, string Username, string Color, IReadOnlyList<Selection> Selections);
