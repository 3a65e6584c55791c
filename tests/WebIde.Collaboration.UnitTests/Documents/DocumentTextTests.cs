using WebIde.Collaboration.Documents;
using WebIde.Collaboration.UnitTests.Support;
using WebIde.Ot;

namespace WebIde.Collaboration.UnitTests.Documents;

public sealed class DocumentTextTests
{
    [Test]
    public void ThousandsOfRandomEditsGiveWhatStringsGive()
    {
        var random = new RandomText(20261206);
        var expected = "héllo\nwörld 😀";
        var text = new DocumentText(expected);
        for (var i = 0; i < 5000; i++)
        {
            var operation = RandomOperation(random, expected.Length);
            expected = operation.Apply(expected);
            text.Apply(operation);
            Assert.That(text.Length, Is.EqualTo(expected.Length), $"after edit {i}");
        }
        Assert.That(text.ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void AnInsertLargerThanTheGapGrowsTheBuffer()
    {
        var text = new DocumentText("ab");
        var large = new string('x', 10_000);
        text.Apply(Ops.Insert(2, 1, large));

        Assert.That(text.ToString(), Is.EqualTo("a" + large + "b"));
    }

    [Test]
    public void AnOperationOfAnotherLengthIsRefusedAndChangesNothing()
    {
        var text = new DocumentText("abc");

        Assert.Throws<ArgumentException>(() => text.Apply(Ops.Insert(4, 0, "x")));
        Assert.That(text.ToString(), Is.EqualTo("abc"));
    }

    /// <summary>One edit at a random place, as typing, pasting and deleting make them.</summary>
    private static TextOperation RandomOperation(RandomText random, int length)
    {
        var at = random.Random.Next(length + 1);
        var deleted = Math.Min(length - at, random.Random.Next(0, 6));
        var inserted = random.Next(random.Random.Next(4) == 0 ? 40 : 3);
        var builder = TextOperation.CreateBuilder().Retain(at).Delete(deleted);
        if (inserted.Length > 0)
        {
            builder.Insert(inserted);
        }
        return builder.Retain(length - at - deleted).ToOperation();
    }
}
