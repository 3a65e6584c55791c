namespace WebIde.Ot;

/// <summary>
/// One step of a <see cref="TextOperation"/>. Lengths count UTF-16 code units, as JavaScript
/// strings do, so an astral character such as 😀 counts 2 and a step may end between its halves.
/// </summary>
public abstract record OpComponent
{
    // Closed hierarchy: the engine's pattern matches assume exactly the three kinds below.
    private protected OpComponent()
    {
    }

    /// <summary>Code units of the document (retain, delete) or of the inserted text (insert).</summary>
    public abstract int Length { get; }
}
