namespace WebIde.Ot;

/// <summary>Inserts <see cref="Text"/> at the cursor; a string in ot.js's JSON.</summary>
public sealed record InsertOp(string Text) : OpComponent
{
    public string Text { get; } = string.IsNullOrEmpty(Text)
        ? throw new ArgumentException("An insert carries at least one code unit.", nameof(Text))
        : Text;

    public override int Length => Text.Length;
}
