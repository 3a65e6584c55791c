namespace WebIde.Ot;

/// <summary>Keeps the next <see cref="Count"/> code units; a positive integer in ot.js's JSON.</summary>
public sealed record RetainOp(int Count) : OpComponent
{
    public int Count { get; } = Count > 0 ? Count : throw new ArgumentOutOfRangeException(nameof(Count), Count, "A retain keeps at least one code unit.");

    public override int Length => Count;
}
