namespace WebIde.Ot;

public sealed partial class TextOperation
{
    /// <summary>
    /// One operation with the effect of <paramref name="first"/> followed by <paramref name="second"/>:
    /// Apply(S, Compose(a, b)) == Apply(Apply(S, a), b).
    /// </summary>
    public static TextOperation Compose(TextOperation first, TextOperation second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.TargetLength != second.BaseLength)
        {
            throw new TextOperationException("The base length of the second operation has to be the target length of the first operation");
        }

        var result = new TextOperationBuilder();
        var left = new ComponentCursor(first._components);
        var right = new ComponentCursor(second._components);
        while (true)
        {
            // What the first deletes never reaches the second, and what the second inserts
            // was never seen by the first: both pass straight through.
            if (left.Current is DeleteOp)
            {
                var deleted = left.Remaining;
                result.Delete(deleted);
                left.Advance(deleted);
                continue;
            }

            if (right.Current is InsertOp)
            {
                var inserted = right.InsertedText(right.Remaining);
                result.Insert(inserted);
                right.Advance(inserted.Length);
                continue;
            }

            if (left.IsDone && right.IsDone)
            {
                return result.ToOperation();
            }

            // Both walk the intermediate document, whose length they agree on.
            var count = Math.Min(left.Remaining, right.Remaining);
            switch (left.Current, right.Current)
            {
                case (RetainOp, RetainOp):
                    result.Retain(count);
                    break;
                case (RetainOp, DeleteOp):
                    result.Delete(count);
                    break;
                case (InsertOp, RetainOp):
                    result.Insert(left.InsertedText(count));
                    break;
                case (InsertOp, DeleteOp):
                    // Inserted by the first, deleted by the second: nothing remains of it.
                    break;
            }

            left.Advance(count);
            right.Advance(count);
        }
    }

    /// <inheritdoc cref="Compose(TextOperation, TextOperation)"/>
    public TextOperation Compose(TextOperation second) => Compose(this, second);
}
