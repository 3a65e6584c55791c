using System.Text;
using WebIde.Execution.Apis;

namespace WebIde.Execution.UnitTests.Apis;

public sealed class OutputDecoderTests
{
    [TestCase("é")]
    [TestCase("€")]
    [TestCase("😀")]
    public void ACharacterSplitAcrossTwoChunksAtAnyPositionComesOutWhole(string character)
    {
        var text = $"a{character}b";
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var decoder = new OutputDecoder();

            var first = decoder.Decode(bytes.AsSpan(0, split));
            var second = decoder.Decode(bytes.AsSpan(split));
            var rest = decoder.Flush();

            using (Assert.EnterMultipleScope())
            {
                Assert.That(first + second + rest, Is.EqualTo(text), $"split at byte {split}");
                Assert.That(first + second, Does.Not.Contain('\uFFFD'), $"split at byte {split}");
                // A chunk never carries half a character, not even half a surrogate pair.
                Assert.That(first.Length == 0 || !char.IsHighSurrogate(first[^1]), Is.True, $"split at byte {split}");
            }
        }
    }

    [Test]
    public void ACharacterFedOneByteAtATimeComesOutWhole()
    {
        const string text = "é😀€x";
        var decoder = new OutputDecoder();
        var output = new StringBuilder();

        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            output.Append(decoder.Decode([b]));
        }
        output.Append(decoder.Flush());

        Assert.That(output.ToString(), Is.EqualTo(text));
    }

    [Test]
    public void InvalidBytesBecomeReplacementCharacters()
    {
        var decoder = new OutputDecoder();

        var text = decoder.Decode([(byte)'a', 0xFF, (byte)'b', 0xC3, (byte)'c']) + decoder.Flush();

        Assert.That(text, Is.EqualTo("a\uFFFDb\uFFFDc"));
    }

    [Test]
    public void AnInvalidContinuationAfterAChunkBoundaryBecomesAReplacementCharacter()
    {
        var decoder = new OutputDecoder();

        var text = decoder.Decode([0xE2, 0x82]) + decoder.Decode("x"u8) + decoder.Flush();

        Assert.That(text, Is.EqualTo("\uFFFDx"));
    }

    [Test]
    public void FlushTurnsADanglingPartialCharacterIntoAReplacementCharacter()
    {
        var decoder = new OutputDecoder();

        var pending = decoder.Decode([(byte)'o', (byte)'k', 0xF0, 0x9F]);
        var flushed = decoder.Flush();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pending, Is.EqualTo("ok"));
            Assert.That(flushed, Is.EqualTo("\uFFFD"));
        }
    }

    [Test]
    public void FlushWithNothingPendingIsEmpty()
    {
        var decoder = new OutputDecoder();
        decoder.Decode("done"u8);

        Assert.That(decoder.Flush(), Is.Empty);
    }
}
