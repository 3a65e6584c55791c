namespace WebIde.Collaboration.Documents;

/// <summary>Where an <see cref="OpenDocument"/> is in its life on this instance.</summary>
public enum DocumentState
{
    /// <summary>Claiming it and reading its state.</summary>
    Loading,
    /// <summary>Owned here: operations are sequenced here.</summary>
    Serving,
    /// <summary>Its file went away; the notice that says why is on its way to the members.</summary>
    Gone,
    /// <summary>Let go: another instance claimed it, its store failed, or nobody needs it here.</summary>
    Retired,
}
