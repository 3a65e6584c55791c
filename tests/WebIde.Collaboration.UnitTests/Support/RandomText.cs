using System.Text;

namespace WebIde.Collaboration.UnitTests.Support;

/// <summary>Seeded random strings of UTF-16 code units: ASCII, accents, CJK, surrogate pairs and, when asked, lone halves.</summary>
public sealed class RandomText(int seed)
{
    private static readonly string[] Pieces = ["a", "b", "c", " ", "\n", "é", "漢", "😀", "𝄞", "\t"];
    private static readonly string[] Other = ["x", "y", "z", "Ω", "🎉"];

    public Random Random { get; } = new(seed);

    public string Next(int maxLength, bool loneSurrogates = false, bool otherAlphabet = false)
    {
        var pieces = otherAlphabet ? Other : Pieces;
        var length = Random.Next(maxLength + 1);
        var text = new StringBuilder(length + 1);
        while (text.Length < length)
        {
            if (loneSurrogates && Random.Next(8) == 0)
            {
                text.Append(Random.Next(2) == 0 ? '\ud83d' : '\ude00');
            }
            else
            {
                text.Append(pieces[Random.Next(pieces.Length)]);
            }
        }
        return text.ToString();
    }
}
