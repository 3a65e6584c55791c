using System.Buffers.Binary;
using System.Security.Cryptography;

namespace WebIde.ServiceDefaults.Encryption;

/// <summary>
/// Seals what the platform keeps at rest with AES-256-GCM under the key ring's newest key, and
/// opens it under whichever key sealed it. A sealed value is
/// <c>magic "\0WIE" · format 1 · key id (4 bytes, big-endian) · nonce (12 random bytes) · ciphertext · tag (16 bytes)</c>:
/// 37 bytes more than the plaintext. The first 9 bytes (the header) and the purpose's name are
/// the associated data: a value opens only as what it was sealed as, under the key it names.
/// Opening never returns what was not sealed: a changed byte, another purpose or another key is
/// a <see cref="CryptographicException"/> that says which.
/// </summary>
/// <remarks>
/// Values written before encryption at rest came carry no header: <see cref="IsSealed"/> tells
/// them apart and <see cref="OpenOrPlaintext"/> passes them through (docs/api.md §7). Nonces are
/// random: one key should seal well under 2^32 values (NIST SP 800-38D), so rotate the ring
/// long before that (a busy document seals one value per acknowledged edit).
/// </remarks>
public sealed class ContentCipher(KeyRing keys)
{
    public const int HeaderLength = 9;
    public const int NonceLength = 12;
    public const int TagLength = 16;
    public const int Overhead = HeaderLength + NonceLength + TagLength;

    private const byte FormatVersion = 1;

    private static ReadOnlySpan<byte> Magic => "\0WIE"u8;

    /// <summary>A cipher with a key of its own, gone with the process: for tests that build stores directly.</summary>
    public static ContentCipher Throwaway() => new(KeyRing.Throwaway());

    public KeyRing Keys => keys;

    public static int SealedLength(int plaintextLength) => checked(plaintextLength + Overhead);

    /// <summary>Whether <paramref name="stored"/> is a sealed value (or claims to be one), rather than plaintext from before encryption at rest.</summary>
    public static bool IsSealed(ReadOnlySpan<byte> stored) => stored.StartsWith(Magic);

    /// <summary>The length of what <paramref name="sealedValue"/> opens to.</summary>
    public static int PlaintextLength(ReadOnlySpan<byte> sealedValue) => sealedValue.Length >= Overhead && IsSealed(sealedValue)
        ? sealedValue.Length - Overhead
        : throw new CryptographicException($"The value is not a sealed value: it is {sealedValue.Length} bytes, and a sealed one is at least {Overhead} and starts with the format's mark.");

    public byte[] Seal(ContentPurpose purpose, ReadOnlySpan<byte> plaintext)
    {
        var sealedValue = GC.AllocateUninitializedArray<byte>(SealedLength(plaintext.Length));
        Seal(purpose, plaintext, sealedValue);
        return sealedValue;
    }

    /// <summary>Seals into <paramref name="destination"/> (at least <see cref="SealedLength"/> bytes, not overlapping the plaintext); returns the length written.</summary>
    public int Seal(ContentPurpose purpose, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        var length = SealedLength(plaintext.Length);
        if (destination.Length < length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; the sealed value is {length}.", nameof(destination));
        }

        var key = keys.Active;
        var header = destination[..HeaderLength];
        Magic.CopyTo(header);
        header[Magic.Length] = FormatVersion;
        BinaryPrimitives.WriteUInt32BigEndian(header[(Magic.Length + 1)..], key.Id);
        var nonce = destination.Slice(HeaderLength, NonceLength);
        RandomNumberGenerator.Fill(nonce);

        Span<byte> associatedData = stackalloc byte[HeaderLength + ContentPurpose.MaxLength];
        var associated = AssociatedData(header, purpose, associatedData);
        key.Encrypt(
            nonce,
            plaintext,
            destination.Slice(HeaderLength + NonceLength, plaintext.Length),
            destination.Slice(HeaderLength + NonceLength + plaintext.Length, TagLength),
            associated);
        return length;
    }

    /// <exception cref="CryptographicException">Not a sealed value, an unknown key, or a value changed or sealed for another purpose.</exception>
    public byte[] Open(ContentPurpose purpose, ReadOnlySpan<byte> sealedValue)
    {
        var plaintext = GC.AllocateUninitializedArray<byte>(PlaintextLength(sealedValue));
        Open(purpose, sealedValue, plaintext);
        return plaintext;
    }

    /// <summary>Opens into <paramref name="destination"/> (at least <see cref="PlaintextLength"/> bytes); returns the length written.</summary>
    /// <exception cref="CryptographicException">Not a sealed value, an unknown key, or a value changed or sealed for another purpose.</exception>
    public int Open(ContentPurpose purpose, ReadOnlySpan<byte> sealedValue, Span<byte> destination)
    {
        var length = PlaintextLength(sealedValue);
        if (destination.Length < length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; the value opens to {length}.", nameof(destination));
        }
        var header = sealedValue[..HeaderLength];
        if (header[Magic.Length] != FormatVersion)
        {
            throw new CryptographicException($"A stored {purpose} value is of sealing format {header[Magic.Length]}; this version reads format {FormatVersion}.");
        }
        var keyId = BinaryPrimitives.ReadUInt32BigEndian(header[(Magic.Length + 1)..]);
        var key = keys.Find(keyId) ?? throw new CryptographicException(
            $"A stored {purpose} value was sealed with content key {keyId}, which the key ring{(keys.File is { } file ? $" {file}" : "")} does not hold. " +
            "Was the key ring replaced, or a key removed from it? Restore the ring that holds that key.");

        Span<byte> associatedData = stackalloc byte[HeaderLength + ContentPurpose.MaxLength];
        try
        {
            key.Decrypt(
                sealedValue.Slice(HeaderLength, NonceLength),
                sealedValue.Slice(HeaderLength + NonceLength, length),
                sealedValue.Slice(HeaderLength + NonceLength + length, TagLength),
                destination[..length],
                AssociatedData(header, purpose, associatedData));
        }
        catch (AuthenticationTagMismatchException exception)
        {
            throw new CryptographicException(
                $"A stored {purpose} value does not authenticate under content key {keyId}: it was changed after it was sealed, or sealed as something else. Nothing of it is used.",
                exception);
        }
        return length;
    }

    /// <summary>
    /// <paramref name="stored"/> opened when it is sealed; as it is when it has no header, as
    /// values written before encryption at rest have (they are sealed when next written).
    /// </summary>
    public byte[] OpenOrPlaintext(ContentPurpose purpose, byte[] stored) =>
        IsSealed(stored) ? Open(purpose, stored) : stored;

    private static ReadOnlySpan<byte> AssociatedData(ReadOnlySpan<byte> header, ContentPurpose purpose, Span<byte> buffer)
    {
        header.CopyTo(buffer);
        purpose.Utf8.CopyTo(buffer[HeaderLength..]);
        return buffer[..(HeaderLength + purpose.Utf8.Length)];
    }
}
