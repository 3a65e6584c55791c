using System.Security.Cryptography;
using System.Text;
using WebIde.ServiceDefaults.Encryption;

namespace WebIde.ServiceDefaults.UnitTests.Encryption;

public sealed class ContentCipherTests
{
    private static readonly ContentPurpose FileContent = new("test/file-content");
    private static readonly ContentPurpose SigningKey = new("test/signing-key");
    private static readonly byte[] Plaintext = Encoding.UTF8.GetBytes("print('a marker only this test writes')\n");

    [Test]
    public void WhatIsSealedOpensToTheSameBytes()
    {
        var cipher = ContentCipher.Throwaway();

        var sealedValue = cipher.Seal(FileContent, Plaintext);

        Assert.That(cipher.Open(FileContent, sealedValue), Is.EqualTo(Plaintext));
        Assert.That(sealedValue, Has.Length.EqualTo(Plaintext.Length + ContentCipher.Overhead));
        Assert.That(ContentCipher.IsSealed(sealedValue), Is.True);
    }

    [Test]
    public void TheSealedBytesDoNotHoldThePlaintextAndDifferEachTime()
    {
        var cipher = ContentCipher.Throwaway();

        var first = cipher.Seal(FileContent, Plaintext);
        var second = cipher.Seal(FileContent, Plaintext);

        Assert.That(first.AsSpan().IndexOf("marker"u8), Is.EqualTo(-1));
        Assert.That(first, Is.Not.EqualTo(second), "a fresh nonce each time: equal contents do not look equal at rest");
    }

    [Test]
    public void EmptyContentSealsAndOpens()
    {
        var cipher = ContentCipher.Throwaway();

        Assert.That(cipher.Open(FileContent, cipher.Seal(FileContent, [])), Is.Empty);
    }

    [Test]
    public void ChangingAnyByteOfASealedValueFailsToOpen()
    {
        var cipher = ContentCipher.Throwaway();
        var sealedValue = cipher.Seal(FileContent, Plaintext);

        for (var i = 0; i < sealedValue.Length; i++)
        {
            var tampered = (byte[])sealedValue.Clone();
            tampered[i] ^= 0x01;
            Assert.That(() => cipher.Open(FileContent, tampered), Throws.InstanceOf<CryptographicException>(), $"byte {i} changed");
        }
    }

    [Test]
    public void ACutOffValueFailsToOpen()
    {
        var cipher = ContentCipher.Throwaway();
        var sealedValue = cipher.Seal(FileContent, Plaintext);

        Assert.That(() => cipher.Open(FileContent, sealedValue.AsSpan(0, sealedValue.Length - 1)), Throws.InstanceOf<CryptographicException>());
        Assert.That(() => cipher.Open(FileContent, sealedValue.AsSpan(0, ContentCipher.Overhead - 1)), Throws.InstanceOf<CryptographicException>());
    }

    [Test]
    public void AValueSealedForOnePurposeDoesNotOpenAsAnother()
    {
        var cipher = ContentCipher.Throwaway();
        var sealedValue = cipher.Seal(FileContent, Plaintext);

        Assert.That(() => cipher.Open(SigningKey, sealedValue),
            Throws.InstanceOf<CryptographicException>().With.Message.Contains("test/signing-key").And.Message.Contains("does not authenticate"));
    }

    [Test]
    public void AnotherKeyRingDoesNotOpenItAndSaysWhichKeyIsMissing()
    {
        var sealedValue = ContentCipher.Throwaway().Seal(FileContent, Plaintext);
        var other = ContentCipher.Throwaway();

        Assert.That(() => other.Open(FileContent, sealedValue),
            Throws.InstanceOf<CryptographicException>().With.Message.Contains("does not hold"));
    }

    [Test]
    public void AKeyWithTheSameIdButOtherMaterialFailsAuthentication()
    {
        var key = ContentKey.New(DateTimeOffset.UtcNow);
        var sealedValue = new ContentCipher(KeyRing.Of(key)).Seal(FileContent, Plaintext);
        var impostor = new ContentCipher(KeyRing.Of(key with { Material = RandomNumberGenerator.GetBytes(ContentKey.Bytes) }));

        Assert.That(() => impostor.Open(FileContent, sealedValue), Throws.InstanceOf<CryptographicException>().With.Message.Contains("does not authenticate"));
    }

    [Test]
    public void AfterARotationOldValuesOpenAndNewOnesUseTheNewKey()
    {
        var old = ContentKey.New(DateTimeOffset.UtcNow);
        var before = new ContentCipher(KeyRing.Of(old)).Seal(FileContent, Plaintext);
        var rotated = ContentKey.New(DateTimeOffset.UtcNow, [old]);
        var cipher = new ContentCipher(KeyRing.Of(old, rotated));

        var after = cipher.Seal(FileContent, Plaintext);

        Assert.That(cipher.Open(FileContent, before), Is.EqualTo(Plaintext));
        Assert.That(cipher.Open(FileContent, after), Is.EqualTo(Plaintext));
        Assert.That(cipher.Keys.ActiveKeyId, Is.EqualTo(rotated.Id));
        Assert.That(() => new ContentCipher(KeyRing.Of(old)).Open(FileContent, after), Throws.InstanceOf<CryptographicException>(),
            "the new key sealed it: the old ring alone cannot open it");
    }

    [Test]
    public void PlaintextFromBeforeEncryptionPassesThroughAndSealedValuesAreOpened()
    {
        var cipher = ContentCipher.Throwaway();

        Assert.That(cipher.OpenOrPlaintext(FileContent, Plaintext), Is.SameAs(Plaintext));
        Assert.That(cipher.OpenOrPlaintext(FileContent, cipher.Seal(FileContent, Plaintext)), Is.EqualTo(Plaintext));
    }

    [Test]
    public void AValueThatClaimsToBeSealedIsNeverPassedThroughAsPlaintext()
    {
        var cipher = ContentCipher.Throwaway();
        var forged = "\0WIE\u0001 not really sealed, but marked as if it were"u8.ToArray();

        Assert.That(() => cipher.OpenOrPlaintext(FileContent, forged), Throws.InstanceOf<CryptographicException>());
    }

    [Test]
    public void SealingIntoABufferWritesExactlyTheSealedLength()
    {
        var cipher = ContentCipher.Throwaway();
        var buffer = new byte[ContentCipher.SealedLength(Plaintext.Length) + 10];

        var written = cipher.Seal(FileContent, Plaintext, buffer);
        var opened = new byte[Plaintext.Length];
        var read = cipher.Open(FileContent, buffer.AsSpan(0, written), opened);

        Assert.That(written, Is.EqualTo(ContentCipher.SealedLength(Plaintext.Length)));
        Assert.That(read, Is.EqualTo(Plaintext.Length));
        Assert.That(opened, Is.EqualTo(Plaintext));
    }

    [Test]
    public async Task ManyThreadsSealAndOpenAtOnce()
    {
        var cipher = ContentCipher.Throwaway();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                var plaintext = Encoding.UTF8.GetBytes($"{worker}:{i}");
                Assert.That(cipher.Open(FileContent, cipher.Seal(FileContent, plaintext)), Is.EqualTo(plaintext));
            }
        })));
    }

    [TestCase("")]
    [TestCase("has space")]
    [TestCase("é")]
    public void APurposeIsAShortPrintableName(string name)
    {
        Assert.That(() => new ContentPurpose(name), Throws.ArgumentException);
        Assert.That(() => new ContentPurpose(new string('a', ContentPurpose.MaxLength + 1)), Throws.ArgumentException);
    }
}
