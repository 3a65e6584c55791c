namespace WebIde.Ot;

public sealed partial class TextOperation
{
    /// <summary>
    /// For <paramref name="a"/> and <paramref name="b"/> made concurrently on one document, the
    /// pair (a', b') with Apply(Apply(S, a), b') == Apply(Apply(S, b), a'). Where both insert at
    /// one place, <paramref name="a"/>'s text comes first, as in ot.js: the server passes its
    /// own history first and the clients pass theirs second, so everyone agrees.
    /// </summary>
    public static (TextOperation APrime, TextOperation BPrime) Transform(TextOperation a, TextOperation b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.BaseLength != b.BaseLength)
        {
            throw new TextOperationException("Both operations have to have the same base length");
        }

        var aPrime = new TextOperationBuilder();
        var bPrime = new TextOperationBuilder();
        var left = new ComponentCursor(a._components);
        var right = new ComponentCursor(b._components);
        while (true)
        {
            // Inserted text is new to the other side, which must step over it.
            if (left.Current is InsertOp fromA)
            {
                aPrime.Insert(fromA.Text);
                bPrime.Retain(fromA.Text.Length);
                left.Advance(fromA.Text.Length);
                continue;
            }

            if (right.Current is InsertOp fromB)
            {
                aPrime.Retain(fromB.Text.Length);
                bPrime.Insert(fromB.Text);
                right.Advance(fromB.Text.Length);
                continue;
            }

            if (left.IsDone && right.IsDone)
            {
                return (aPrime.ToOperation(), bPrime.ToOperation());
            }

            var count = Math.Min(left.Remaining, right.Remaining);
            switch (left.Current, right.Current)
            {
                case (RetainOp, RetainOp):
                    aPrime.Retain(count);
                    bPrime.Retain(count);
                    break;
                case (DeleteOp, RetainOp):
                    aPrime.Delete(count);
                    break;
                case (RetainOp, DeleteOp):
                    bPrime.Delete(count);
                    break;
                case (DeleteOp, DeleteOp):
                    // Both removed the same text; once gone, neither has anything left to do.
                    break;
            }

            left.Advance(count);
            right.Advance(count);
        }
    }
}
