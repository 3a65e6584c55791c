using System.Text;

namespace WebIde.Ot.UnitTests;

/// <summary>
/// Random documents and operations over UTF-16 code units: operations end inside surrogate
/// pairs as often as anywhere else, and some inserts carry lone surrogates.
/// </summary>
internal sealed class RandomEdits(int seed)
{
    private static readonly string[] Pieces = ["a", "b", "z", " ", "\n", "é", "中", "😀", "𝄞", "👍🏽", "\"", "\\"];
    private static readonly string[] RarePieces = ["\ud83d", "\ude00", "\u0001", "\u2028"];

    // Deterministic test data, not security.
#pragma warning disable CA5394
    private readonly Random _random = new(seed);

    public string Document() => _random.Next(8) == 0 ? string.Empty : Text(1 + _random.Next(30));

    public string Text(int maxPieces)
    {
        var text = new StringBuilder();
        var count = 1 + _random.Next(maxPieces);
        for (var i = 0; i < count; i++)
        {
            text.Append(_random.Next(30) == 0 ? RarePieces[_random.Next(RarePieces.Length)] : Pieces[_random.Next(Pieces.Length)]);
        }

        return text.ToString();
    }

    public TextOperation Operation(string document)
    {
        var builder = TextOperation.CreateBuilder();
        switch (_random.Next(10))
        {
            case 0:
                return builder.Retain(document.Length).ToOperation();
            case < 5:
                // One keystroke near the start, so two of them often meet at the same place.
                var at = Math.Min(document.Length, _random.Next(2) == 0 ? _random.Next(3) : _random.Next(document.Length + 1));
                var deleted = Math.Min(document.Length - at, _random.Next(3));
                return builder.Retain(at).Insert(_random.Next(3) == 0 ? string.Empty : Text(2)).Delete(deleted).Retain(document.Length - at - deleted).ToOperation();
            default:
                var index = 0;
                while (index < document.Length)
                {
                    var count = 1 + _random.Next(Math.Min(document.Length - index, 6));
                    switch (_random.Next(4))
                    {
                        case 0:
                            builder.Insert(Text(3));
                            break;
                        case 1:
                            builder.Delete(count);
                            index += count;
                            break;
                        default:
                            builder.Retain(count);
                            index += count;
                            break;
                    }
                }

                return _random.Next(3) == 0 ? builder.Insert(Text(3)).ToOperation() : builder.ToOperation();
        }
    }
#pragma warning restore CA5394
}
