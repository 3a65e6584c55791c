using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace WebIde.ServiceDefaults.Encryption;

/// <summary>
/// One content key's AES-GCM. An <see cref="AesGcm"/> holds the expanded key but may serve one
/// call at a time, so instances are pooled: sealing on a hot path neither expands the key again
/// nor waits for another thread.
/// </summary>
internal sealed class KeyCipher(ContentKey key)
{
    private static readonly int Kept = Environment.ProcessorCount * 2;

    private readonly ConcurrentQueue<AesGcm> _idle = new();

    public uint Id => key.Id;

    public void Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        var aes = Rent();
        try
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
        }
        finally
        {
            Return(aes);
        }
    }

    /// <exception cref="AuthenticationTagMismatchException">The value, its tag or its associated data is not what was sealed.</exception>
    public void Decrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var aes = Rent();
        try
        {
            aes.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
        }
        finally
        {
            Return(aes);
        }
    }

    private AesGcm Rent() => _idle.TryDequeue(out var aes) ? aes : new AesGcm(key.Material, ContentCipher.TagLength);

    private void Return(AesGcm aes)
    {
        if (_idle.Count < Kept)
        {
            _idle.Enqueue(aes);
        }
        else
        {
            aes.Dispose();
        }
    }
}
