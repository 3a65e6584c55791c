using System.Text;

namespace WebIde.ServiceDefaults.Encryption;

/// <summary>
/// What a sealed value is (a file's content, an operation, a signing key): authenticated with it,
/// so a value sealed for one purpose cannot be passed off as another. Made once per purpose
/// (a static field), so sealing on a hot path encodes nothing.
/// </summary>
public sealed class ContentPurpose
{
    public const int MaxLength = 64;

    public ContentPurpose(string name)
    {
        if (name.Length is 0 or > MaxLength || name.Any(character => character is < '!' or > '~'))
        {
            throw new ArgumentException($"A purpose is 1–{MaxLength} printable ASCII characters without spaces; '{name}' is not.", nameof(name));
        }
        Name = name;
        Utf8 = Encoding.ASCII.GetBytes(name);
    }

    public string Name { get; }

    internal byte[] Utf8 { get; }

    public override string ToString() => Name;
}
