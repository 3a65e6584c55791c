using System.Text;
using System.Text.Json.Serialization;

namespace WebIde.Ot;

/// <summary>
/// An edit of a text document in ot.js's model: retains, inserts and deletes walked from the
/// start of the document to its end, always in the normal form <see cref="TextOperationBuilder"/>
/// produces. Immutable, so the service may share one between connections.
/// </summary>
[JsonConverter(typeof(TextOperationJsonConverter))]
public sealed partial class TextOperation : IEquatable<TextOperation>
{
    private readonly OpComponent[] _components;

    internal TextOperation(OpComponent[] components, int baseLength, int targetLength)
    {
        _components = components;
        BaseLength = baseLength;
        TargetLength = targetLength;
    }

    /// <summary>The operation on the empty document that changes nothing.</summary>
    public static TextOperation Empty { get; } = new([], 0, 0);

    public IReadOnlyList<OpComponent> Components => _components;

    /// <summary>Length, in UTF-16 code units, of every document this operation applies to.</summary>
    public int BaseLength { get; }

    /// <summary>Length, in UTF-16 code units, of every document this operation produces.</summary>
    public int TargetLength { get; }

    public bool IsNoop => _components.Length == 0 || (_components.Length == 1 && _components[0] is RetainOp);

    public static TextOperationBuilder CreateBuilder() => new();

    public string Apply(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.Length != BaseLength)
        {
            throw new TextOperationException("The operation's base length must be equal to the string's length.");
        }

        // The builders keep BaseLength equal to the retained plus deleted code units, so once
        // the length matches, every component fits the document.
        var result = new StringBuilder(TargetLength);
        var index = 0;
        foreach (var component in _components)
        {
            switch (component)
            {
                case RetainOp retain:
                    result.Append(document, index, retain.Count);
                    index += retain.Count;
                    break;
                case InsertOp insert:
                    result.Append(insert.Text);
                    break;
                case DeleteOp delete:
                    index += delete.Count;
                    break;
            }
        }

        return result.ToString();
    }

    /// <summary>
    /// The operation that undoes this one on the document it produced. Unlike ot.js, which
    /// slices whatever string it is given, a document of the wrong length is refused: the
    /// inverse would silently insert the wrong text.
    /// </summary>
    public TextOperation Invert(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.Length != BaseLength)
        {
            throw new TextOperationException("The document to invert against must have the operation's base length.");
        }

        var inverse = new TextOperationBuilder();
        var index = 0;
        foreach (var component in _components)
        {
            switch (component)
            {
                case RetainOp retain:
                    inverse.Retain(retain.Count);
                    index += retain.Count;
                    break;
                case InsertOp insert:
                    inverse.Delete(insert.Text.Length);
                    break;
                case DeleteOp delete:
                    inverse.Insert(document.Substring(index, delete.Count));
                    index += delete.Count;
                    break;
            }
        }

        return inverse.ToOperation();
    }

    /// <summary>ot.js's JSON form: positive integers retain, strings insert, negative integers delete.</summary>
    public string ToJson() => TextOperationJsonConverter.Format(this);

    /// <summary>Reads ot.js's JSON form, normalizing it as ot.js's fromJSON does.</summary>
    /// <exception cref="System.Text.Json.JsonException">The text is not an array of non-zero integers and strings.</exception>
    public static TextOperation FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TextOperationJsonConverter.Parse(Encoding.UTF8.GetBytes(json));
    }

    /// <inheritdoc cref="FromJson(string)"/>
    public static TextOperation FromJson(ReadOnlySpan<byte> utf8Json) => TextOperationJsonConverter.Parse(utf8Json);

    // Normal form makes equal effect mean equal components; the lengths follow from them.
    public bool Equals(TextOperation? other) =>
        other is not null && (ReferenceEquals(this, other) || _components.AsSpan().SequenceEqual(other._components));

    public override bool Equals(object? obj) => Equals(obj as TextOperation);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var component in _components)
        {
            hash.Add(component);
        }

        return hash.ToHashCode();
    }

    public static bool operator ==(TextOperation? left, TextOperation? right) => left?.Equals(right) ?? right is null;

    public static bool operator !=(TextOperation? left, TextOperation? right) => !(left == right);

    public override string ToString() => ToJson();
}
