using WebIde.Ot;

namespace WebIde.Collaboration.Documents;

/// <summary>
/// A document's text as a gap buffer: an edit moves the gap to where it happens and fills or
/// widens it there, so a keystroke costs the distance from the last edit instead of a copy of
/// the whole document (a string would be rebuilt per operation).
/// </summary>
public sealed class DocumentText
{
    private char[] _buffer;
    private int _gapStart;
    private int _gapEnd;

    public DocumentText(string text)
    {
        _buffer = new char[Math.Max(64, text.Length * 2)];
        text.CopyTo(_buffer);
        _gapStart = text.Length;
        _gapEnd = _buffer.Length;
    }

    /// <summary>The text <paramref name="operations"/> make of <paramref name="text"/>, applied in order.</summary>
    public static string Replay(string text, IEnumerable<TextOperation> operations)
    {
        var replayed = new DocumentText(text);
        foreach (var operation in operations)
        {
            replayed.Apply(operation);
        }
        return replayed.ToString();
    }

    /// <summary>UTF-16 code units, as ot.js counts them.</summary>
    public int Length => _buffer.Length - (_gapEnd - _gapStart);

    /// <summary>Applies an operation whose base length was checked against <see cref="Length"/>.</summary>
    public void Apply(TextOperation operation)
    {
        if (operation.BaseLength != Length)
        {
            throw new ArgumentException($"the operation spans {operation.BaseLength} code units, the text has {Length}", nameof(operation));
        }
        var position = 0;
        foreach (var component in operation.Components)
        {
            switch (component)
            {
                case RetainOp retain:
                    position += retain.Count;
                    break;
                case InsertOp insert:
                    MoveGapTo(position);
                    EnsureGap(insert.Text.Length);
                    insert.Text.CopyTo(_buffer.AsSpan(_gapStart));
                    _gapStart += insert.Text.Length;
                    position += insert.Text.Length;
                    break;
                case DeleteOp delete:
                    MoveGapTo(position);
                    _gapEnd += delete.Count;
                    break;
            }
        }
    }

    public override string ToString() =>
        string.Concat(_buffer.AsSpan(0, _gapStart), _buffer.AsSpan(_gapEnd));

    private void MoveGapTo(int position)
    {
        if (position < _gapStart)
        {
            var moved = _gapStart - position;
            _buffer.AsSpan(position, moved).CopyTo(_buffer.AsSpan(_gapEnd - moved));
            _gapStart = position;
            _gapEnd -= moved;
        }
        else if (position > _gapStart)
        {
            var moved = position - _gapStart;
            _buffer.AsSpan(_gapEnd, moved).CopyTo(_buffer.AsSpan(_gapStart));
            _gapStart += moved;
            _gapEnd += moved;
        }
    }

    private void EnsureGap(int needed)
    {
        if (_gapEnd - _gapStart >= needed)
        {
            return;
        }
        var length = Length;
        var grown = new char[Math.Max(_buffer.Length * 2, length + needed + 64)];
        var tail = _buffer.Length - _gapEnd;
        _buffer.AsSpan(0, _gapStart).CopyTo(grown);
        _buffer.AsSpan(_gapEnd, tail).CopyTo(grown.AsSpan(grown.Length - tail));
        _gapEnd = grown.Length - tail;
        _buffer = grown;
    }
}
