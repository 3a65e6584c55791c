using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Cryptography.KeyDerivation;

namespace WebIde.Identity.Accounts;

/// <summary>
/// A stored PBKDF2 hash and the parameters it was made with, in ASP.NET Core Identity's version 3 layout (base64 of
/// <c>0x01</c>, then big-endian PRF, iteration count and salt length, the salt, the subkey): the hashes stored before
/// the iteration count was raised read with the same code, and a hash records all it takes to check it.
/// </summary>
public sealed class PasswordHash(KeyDerivationPrf prf, int iterations, byte[] salt, byte[] subkey)
{
    /// <summary>OWASP's figure for PBKDF2-HMAC-SHA256 (2023): about 0.3 s of a core here.</summary>
    public const int CurrentIterations = 600_000;

    public const KeyDerivationPrf CurrentPrf = KeyDerivationPrf.HMACSHA256;

    private const byte FormatMarker = 0x01;
    private const int HeaderLength = 13;
    private const int SaltLength = 16;
    private const int SubkeyLength = 32;

    public KeyDerivationPrf Prf { get; } = prf;

    public int Iterations { get; } = iterations;

    private byte[] Salt { get; } = salt;

    private byte[] Subkey { get; } = subkey;

    /// <summary>Whether it was made as hashes are made now; a successful login replaces one that was not.</summary>
    public bool IsCurrent => Prf == CurrentPrf && Iterations >= CurrentIterations;

    public static PasswordHash Create(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        return new PasswordHash(CurrentPrf, CurrentIterations, salt, Derive(password, CurrentPrf, CurrentIterations, salt, SubkeyLength));
    }

    /// <summary>Null for anything that is not a hash of this layout (it then matches no password).</summary>
    public static PasswordHash? TryParse(string stored)
    {
        var bytes = new byte[stored.Length * 3 / 4];
        if (!Convert.TryFromBase64String(stored, bytes, out var length) || length < HeaderLength || bytes[0] != FormatMarker)
        {
            return null;
        }

        var prf = (KeyDerivationPrf)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1));
        var iterations = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5));
        var saltLength = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(9));
        var subkeyLength = length - HeaderLength - (long)saltLength;
        if (!Enum.IsDefined(prf) || iterations is 0 or > int.MaxValue || saltLength < SaltLength || subkeyLength < SubkeyLength)
        {
            return null;
        }

        return new PasswordHash(
            prf,
            (int)iterations,
            bytes.AsSpan(HeaderLength, (int)saltLength).ToArray(),
            bytes.AsSpan(HeaderLength + (int)saltLength, (int)subkeyLength).ToArray());
    }

    /// <summary>The whole derivation every time, compared in constant time.</summary>
    public bool Matches(string password) =>
        CryptographicOperations.FixedTimeEquals(Derive(password, Prf, Iterations, Salt, Subkey.Length), Subkey);

    public override string ToString()
    {
        var bytes = new byte[HeaderLength + Salt.Length + Subkey.Length];
        bytes[0] = FormatMarker;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), (uint)Prf);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(5), (uint)Iterations);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(9), (uint)Salt.Length);
        Salt.CopyTo(bytes, HeaderLength);
        Subkey.CopyTo(bytes, HeaderLength + Salt.Length);
        return Convert.ToBase64String(bytes);
    }

    private static byte[] Derive(string password, KeyDerivationPrf prf, int iterations, byte[] salt, int length) =>
        KeyDerivation.Pbkdf2(password, salt, prf, iterations, length);
}
