using System.Text;
using WebIde.Collaboration.Persistence;
using WebIde.Collaboration.UnitTests.Support;
using WebIde.Ot;

namespace WebIde.Collaboration.UnitTests.Persistence;

public sealed class TextDiffTests
{
    private const int Pairs = 10_000;

    // Not [TestCase]: attribute strings are stored as UTF-8, which turns a lone surrogate into U+FFFD;
    // and named, since the test adapter silently drops a test whose name holds a lone surrogate.
    public static IEnumerable<TestCaseData> Cases() =>
    [
        new TestCaseData("", "").SetName("both empty"),
        new TestCaseData("", "abc").SetName("from empty"),
        new TestCaseData("abc", "").SetName("to empty"),
        new TestCaseData("same", "same").SetName("identical"),
        new TestCaseData("abc", "xyz").SetName("completely different"),
        new TestCaseData("hello world", "hello brave world").SetName("an insertion"),
        new TestCaseData("a😀b", "a😁b").SetName("one emoji for another"),
        new TestCaseData("😀", "\ud83d").SetName("an emoji to its lone high half"),
        new TestCaseData("\ude00x", "x\ud83d").SetName("lone halves moved"),
        new TestCaseData("line1\r\nline2\n", "line1\nline2\r\n").SetName("line endings swapped"),
    ];

    [TestCaseSource(nameof(Cases))]
    public void TheDiffTurnsTheFirstTextIntoTheSecond(string before, string after)
    {
        var change = TextDiff.Between(before, after);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(change.BaseLength, Is.EqualTo(before.Length));
            Assert.That(change.Apply(before), Is.EqualTo(after));
        }
    }

    [Test]
    public void IdenticalTextsGiveANoop()
    {
        Assert.That(TextDiff.Between("unchanged 😀", "unchanged 😀").IsNoop, Is.True);
    }

    [Test]
    public void RandomPairsAlwaysDiffToAnOperationThatTurnsOneIntoTheOther()
    {
        var random = new RandomText(1_234_567);
        for (var i = 0; i < Pairs; i++)
        {
            var (before, after, budget) = Pair(random, i);

            var change = TextDiff.Between(before, after);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(change.BaseLength, Is.EqualTo(before.Length), $"pair {i}");
                Assert.That(change.TargetLength, Is.EqualTo(after.Length), $"pair {i}");
                Assert.That(change.Apply(before), Is.EqualTo(after), $"pair {i}: {Show(before)} -> {Show(after)} by {change}");
                if (budget is { } edited)
                {
                    Assert.That(Changed(change), Is.LessThanOrEqualTo(edited), $"pair {i}: a small edit in a long text is a small operation, not {Changed(change)} code units");
                }
            }
        }
    }

    [Test]
    public void ATypedCharacterInALongTextIsOneInsert()
    {
        var before = new RandomText(7).Next(2_000) + new string('q', 2_000);
        var after = before.Insert(1_000, "Z");

        var change = TextDiff.Between(before, after);

        Assert.That(change.Components.Where(component => component is not RetainOp).ToList(), Is.EqualTo(new OpComponent[] { new InsertOp("Z") }));
    }

    /// <summary>
    /// A mix of identical, empty, unrelated and random pairs, and long texts with a few small
    /// edits, whose size (code units deleted plus inserted) bounds the minimal diff.
    /// </summary>
    private static (string Before, string After, int? Budget) Pair(RandomText random, int i)
    {
        switch (i % 8)
        {
            case 0:
                var text = random.Next(60, loneSurrogates: true);
                return (text, text, 0);
            case 1:
                return random.Random.Next(2) == 0 ? ("", random.Next(40, loneSurrogates: true), null) : (random.Next(40, loneSurrogates: true), "", null);
            case 2:
                return (random.Next(80), random.Next(80, otherAlphabet: true), null);
            case 3 or 4:
                return (random.Next(60, loneSurrogates: true), random.Next(60, loneSurrogates: true), null);
            default:
                return Edited(random, i % 200 == 5 ? 2_000 : 400);
        }
    }

    private static (string Before, string After, int? Budget) Edited(RandomText random, int length)
    {
        var before = random.Next(length);
        var after = new StringBuilder(before);
        var budget = 0;
        for (var edits = random.Random.Next(1, 4); edits > 0; edits--)
        {
            var at = random.Random.Next(after.Length + 1);
            var deleted = Math.Min(random.Random.Next(4), after.Length - at);
            var inserted = random.Next(4);
            after.Remove(at, deleted).Insert(at, inserted);
            budget += deleted + inserted.Length;
        }
        return (before, after.ToString(), budget);
    }

    private static int Changed(TextOperation change) =>
        change.Components.Sum(component => component is RetainOp ? 0 : component.Length);

    private static string Show(string text) => text.Length > 80 ? $"({text.Length} code units)" : $"\"{text}\"";
}
