using WebIde.ServiceDefaults.Encryption;

namespace WebIde.Identity.Storage;

/// <summary>
/// A signing key's private half as every store adapter keeps it: sealed (docs/api.md §7), so
/// whoever reads identity's database cannot sign tokens with it. A key stored before encryption
/// at rest (PKCS#8 in the clear) is read as it is; it retires as keys rotate.
/// </summary>
public sealed class StoredPrivateKey(ContentCipher cipher)
{
    private static readonly ContentPurpose Purpose = new("identity/signing-key");

    /// <summary>For tests that build an adapter by hand: keys sealed under a content key of their own.</summary>
    public static StoredPrivateKey Throwaway() => new(ContentCipher.Throwaway());

    public byte[] Seal(byte[] privateKeyPkcs8) => cipher.Seal(Purpose, privateKeyPkcs8);

    public byte[] Open(byte[] stored) => cipher.OpenOrPlaintext(Purpose, stored);
}
