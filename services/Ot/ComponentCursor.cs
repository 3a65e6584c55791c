namespace WebIde.Ot;

/// <summary>
/// Walks an operation's components and lets compose and transform consume them in pieces, so
/// a long retain can be met piecewise by the other operation's shorter steps.
/// </summary>
internal struct ComponentCursor(OpComponent[] components)
{
    private int _index;
    private int _offset;

    public readonly OpComponent? Current => _index < components.Length ? components[_index] : null;

    public readonly bool IsDone => _index >= components.Length;

    /// <summary>Code units of the current component not consumed yet.</summary>
    public readonly int Remaining => components[_index].Length - _offset;

    /// <summary>The next <paramref name="count"/> code units of the current insert, which may split a surrogate pair as ot.js's slice does.</summary>
    public readonly string InsertedText(int count) => ((InsertOp)components[_index]).Text.Substring(_offset, count);

    public void Advance(int count)
    {
        _offset += count;
        if (_offset == components[_index].Length)
        {
            _index++;
            _offset = 0;
        }
    }
}
