namespace WebIde.Ot;

/// <summary>
/// Assembles a <see cref="TextOperation"/> in ot.js's normal form: neighbours of one kind merge,
/// and an insert next to a delete goes before it, so operations with the same effect are equal.
/// </summary>
public sealed class TextOperationBuilder
{
    private readonly List<OpComponent> _components = [];
    private int _baseLength;
    private int _targetLength;

    public TextOperationBuilder Retain(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return this;
        }

        _baseLength = checked(_baseLength + count);
        _targetLength = checked(_targetLength + count);
        if (_components.Count > 0 && _components[^1] is RetainOp last)
        {
            _components[^1] = new RetainOp(checked(last.Count + count));
        }
        else
        {
            _components.Add(new RetainOp(count));
        }

        return this;
    }

    public TextOperationBuilder Insert(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return this;
        }

        _targetLength = checked(_targetLength + text.Length);
        var count = _components.Count;
        if (count > 0 && _components[^1] is InsertOp last)
        {
            _components[^1] = new InsertOp(last.Text + text);
        }
        else if (count > 0 && _components[^1] is DeleteOp)
        {
            // Delete-then-insert and insert-then-delete do the same; ot.js keeps the latter.
            if (count > 1 && _components[^2] is InsertOp before)
            {
                _components[^2] = new InsertOp(before.Text + text);
            }
            else
            {
                _components.Insert(count - 1, new InsertOp(text));
            }
        }
        else
        {
            _components.Add(new InsertOp(text));
        }

        return this;
    }

    public TextOperationBuilder Delete(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return this;
        }

        _baseLength = checked(_baseLength + count);
        if (_components.Count > 0 && _components[^1] is DeleteOp last)
        {
            _components[^1] = new DeleteOp(checked(last.Count + count));
        }
        else
        {
            _components.Add(new DeleteOp(count));
        }

        return this;
    }

    /// <summary>Appends one component through the merging builders above.</summary>
    public TextOperationBuilder Add(OpComponent component) => component switch
    {
        RetainOp retain => Retain(retain.Count),
        InsertOp insert => Insert(insert.Text),
        DeleteOp delete => Delete(delete.Count),
        _ => throw new ArgumentException($"Unknown component {component}.", nameof(component)),
    };

    public TextOperation ToOperation() => new([.. _components], _baseLength, _targetLength);
}
