namespace WebIde.Collaboration.Presence;

/// <summary>A cursor or selected range, in UTF-16 code units; anchor equals head for a plain cursor.</summary>
public readonly record struct Selection(int Anchor, int Head);
