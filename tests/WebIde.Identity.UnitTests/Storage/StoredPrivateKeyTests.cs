using System.Security.Cryptography;
using WebIde.Identity.Storage;
using WebIde.ServiceDefaults.Encryption;

namespace WebIde.Identity.UnitTests.Storage;

public sealed class StoredPrivateKeyTests
{
    private static byte[] NewPrivateKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKey();
    }

    [Test]
    public void AKeyStoredInTheClearByAnEarlierVersionIsReadAsItIs()
    {
        var material = NewPrivateKey();

        Assert.That(StoredPrivateKey.Throwaway().Open(material), Is.EqualTo(material));
    }

    [Test]
    public void ASealedKeyOpensOnlyUnderItsKeyRingAndAsASigningKey()
    {
        var cipher = ContentCipher.Throwaway();
        var privateKeys = new StoredPrivateKey(cipher);
        var material = NewPrivateKey();
        var sealedKey = privateKeys.Seal(material);
        var sealedAsSomethingElse = cipher.Seal(new ContentPurpose("filesystem/file-content"), material);

        Assert.That(privateKeys.Open(sealedKey), Is.EqualTo(material));
        Assert.That(() => StoredPrivateKey.Throwaway().Open(sealedKey), Throws.InstanceOf<CryptographicException>());
        Assert.That(() => privateKeys.Open(sealedAsSomethingElse), Throws.InstanceOf<CryptographicException>(),
            "a file's content cannot be passed off as a signing key");
    }
}
