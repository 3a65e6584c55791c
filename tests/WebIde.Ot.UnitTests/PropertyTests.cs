namespace WebIde.Ot.UnitTests;

/// <summary>The laws of OT over 10,000 random cases each, with fixed seeds so a failure repeats.</summary>
public sealed class PropertyTests
{
    private const int Cases = 10_000;

    [Test]
    public void Transformed_operations_converge_TP1()
    {
        var random = new RandomEdits(seed: 1);
        var coverage = new Coverage();
        for (var i = 0; i < Cases; i++)
        {
            var doc = random.Document();
            var a = random.Operation(doc);
            var b = random.Operation(doc);
            var (aPrime, bPrime) = TextOperation.Transform(a, b);
            var viaA = bPrime.Apply(a.Apply(doc));
            var viaB = aPrime.Apply(b.Apply(doc));
            Expect(viaA == viaB, i, $"TP1 broken: {doc} a={a} b={b} a'={aPrime} b'={bPrime}: {viaA} vs {viaB}");
            Expect(aPrime.BaseLength == b.TargetLength && bPrime.BaseLength == a.TargetLength, i, $"lengths of a'={aPrime} b'={bPrime} do not follow a={a} b={b}");
            coverage.See(doc, viaA);
        }

        coverage.AssertVaried();
    }

    [Test]
    public void Composition_applies_as_both_in_turn()
    {
        var random = new RandomEdits(seed: 2);
        var coverage = new Coverage();
        for (var i = 0; i < Cases; i++)
        {
            var doc = random.Document();
            var a = random.Operation(doc);
            var afterA = a.Apply(doc);
            var b = random.Operation(afterA);
            var composed = TextOperation.Compose(a, b);
            var expected = b.Apply(afterA);
            Expect(composed.Apply(doc) == expected, i, $"compose broken: {doc} a={a} b={b} composed={composed}");
            Expect(composed.BaseLength == a.BaseLength && composed.TargetLength == b.TargetLength, i, $"lengths of {composed} do not follow a={a} b={b}");
            coverage.See(doc, expected);
        }

        coverage.AssertVaried();
    }

    [Test]
    public void The_inverse_restores_the_document_and_inverts_back()
    {
        var random = new RandomEdits(seed: 3);
        var coverage = new Coverage();
        for (var i = 0; i < Cases; i++)
        {
            var doc = random.Document();
            var a = random.Operation(doc);
            var after = a.Apply(doc);
            var inverse = a.Invert(doc);
            Expect(inverse.Apply(after) == doc, i, $"invert broken: {doc} a={a} inverse={inverse}");
            Expect(inverse.Invert(after).Equals(a), i, $"inverting {inverse} again did not give a={a}");
            coverage.See(doc, after);
        }

        coverage.AssertVaried();
    }

    [Test]
    public void Apply_takes_exactly_the_base_length_and_gives_the_target_length()
    {
        var random = new RandomEdits(seed: 4);
        var coverage = new Coverage();
        for (var i = 0; i < Cases; i++)
        {
            var doc = random.Document();
            var a = random.Operation(doc);
            var after = a.Apply(doc);
            Expect(a.BaseLength == doc.Length && after.Length == a.TargetLength, i, $"{a} on {doc} gave {after}");
            var wrong = i % 2 == 0 ? doc + random.Text(2) : doc[..^Math.Min(doc.Length, 1)];
            if (wrong.Length != doc.Length)
            {
                Expect(Throws(() => a.Apply(wrong)), i, $"{a} applied to {wrong}, whose length is not its base length");
            }

            Expect(TextOperation.FromJson(a.ToJson()).Equals(a), i, $"{a} does not survive its JSON");
            coverage.See(doc, after);
        }

        coverage.AssertVaried();
    }

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (TextOperationException)
        {
            return true;
        }
    }

    // One Assert per case would cost more than the engine itself; build the message only on failure.
    private static void Expect(bool holds, int index, string message)
    {
        if (!holds)
        {
            Assert.Fail($"case {index}: {message}");
        }
    }

    /// <summary>Guards the generator: the laws must have met empty documents and split surrogate pairs.</summary>
    private sealed class Coverage
    {
        private int _empty;
        private int _loneSurrogates;

        public void See(string before, string after)
        {
            if (before.Length == 0)
            {
                _empty++;
            }

            if (HasLoneSurrogate(after))
            {
                _loneSurrogates++;
            }
        }

        public void AssertVaried() => Assert.Multiple(() =>
        {
            Assert.That(_empty, Is.GreaterThan(500), "empty documents");
            Assert.That(_loneSurrogates, Is.GreaterThan(500), "results holding half of a surrogate pair");
        });

        private static bool HasLoneSurrogate(string text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                }
                else if (char.IsSurrogate(text[i]))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
