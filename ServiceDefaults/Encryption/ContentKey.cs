using System.Buffers.Binary;
using System.Security.Cryptography;

namespace WebIde.ServiceDefaults.Encryption;

/// <summary>
/// One 256-bit AES key of the key ring. <see cref="Id"/> is random, never reused: a value
/// sealed under a key of a ring that was lost and made again names a key the new ring does not
/// have, rather than failing as if it had been tampered with.
/// </summary>
public sealed record ContentKey(uint Id, byte[] Material, DateTimeOffset CreatedAt)
{
    public const int Bytes = 32;

    /// <summary>A new random key, with a random non-zero id none of <paramref name="taken"/> has.</summary>
    public static ContentKey New(DateTimeOffset now, IReadOnlyCollection<ContentKey>? taken = null)
    {
        uint id;
        do
        {
            id = BinaryPrimitives.ReadUInt32BigEndian(RandomNumberGenerator.GetBytes(sizeof(uint)));
        }
        while (id == 0 || (taken?.Any(key => key.Id == id) ?? false));
        return new ContentKey(id, RandomNumberGenerator.GetBytes(Bytes), now);
    }
}
