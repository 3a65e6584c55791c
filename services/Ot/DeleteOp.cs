namespace WebIde.Ot;

/// <summary>Removes the next <see cref="Count"/> code units; a negative integer in ot.js's JSON.</summary>
public sealed record DeleteOp(int Count) : OpComponent
{
    public int Count { get; } = Count > 0 ? Count : throw new ArgumentOutOfRangeException(nameof(Count), Count, "A delete removes at least one code unit.");

    public override int Length => Count;
}
