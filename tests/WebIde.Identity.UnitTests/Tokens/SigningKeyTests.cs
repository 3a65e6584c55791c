using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using WebIde.Identity.Tokens;

namespace WebIde.Identity.UnitTests.Tokens;

public sealed class SigningKeyTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void AGeneratedKeyIsAnEs256KeyThatRetiresWhenTold()
    {
        var record = SigningKey.Generate(Now, TimeSpan.FromDays(3));

        using var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(record.PrivateKeyPkcs8, out _);
        Assert.Multiple(() =>
        {
            Assert.That(record.Algorithm, Is.EqualTo("ES256"));
            Assert.That(ecdsa.ExportParameters(false).Curve.Oid.Value, Is.EqualTo(ECCurve.NamedCurves.nistP256.Oid.Value));
            Assert.That(record.CreatedAt, Is.EqualTo(Now));
            Assert.That(record.RetiresAt, Is.EqualTo(Now + TimeSpan.FromDays(3)));
            Assert.That(record.KeyId, Is.Not.Empty);
        });
    }

    [Test]
    public void EveryGeneratedKeyHasItsOwnIdAndKey()
    {
        var one = SigningKey.Generate(Now, TimeSpan.FromDays(1));
        var two = SigningKey.Generate(Now, TimeSpan.FromDays(1));

        Assert.That(two.KeyId, Is.Not.EqualTo(one.KeyId));
        Assert.That(two.PrivateKeyPkcs8, Is.Not.EqualTo(one.PrivateKeyPkcs8));
    }

    [Test]
    public void ThePublishedKeyHoldsNoPrivateParameter()
    {
        using var key = new SigningKey(SigningKey.Generate(Now, TimeSpan.FromDays(1)));

        var json = JsonSerializer.SerializeToElement(key.Publish(), JsonSerializerOptions.Web);
        var names = json.EnumerateObject().Select(property => property.Name).ToArray();

        Assert.That(names, Is.EquivalentTo(new[] { "kty", "crv", "x", "y", "kid", "use", "alg" }));
        Assert.That(json.GetRawText(), Does.Not.Contain(Base64UrlEncoder.Encode(PrivateScalar(key))));
        Assert.That(() => key.VerificationKey.ECDsa.ExportParameters(includePrivateParameters: true), Throws.InstanceOf<CryptographicException>(),
            "the verification key is public only");
    }

    [Test]
    public void ThePublishedCoordinatesDecodeToThePublicPointOfTheKey()
    {
        var record = SigningKey.Generate(Now, TimeSpan.FromDays(1));
        using var key = new SigningKey(record);
        using var original = ECDsa.Create();
        original.ImportPkcs8PrivateKey(record.PrivateKeyPkcs8, out _);
        var point = original.ExportParameters(false).Q;

        var published = key.Publish();

        Assert.Multiple(() =>
        {
            Assert.That(published.Kty, Is.EqualTo("EC"));
            Assert.That(published.Crv, Is.EqualTo("P-256"));
            Assert.That(published.Alg, Is.EqualTo("ES256"));
            Assert.That(published.Use, Is.EqualTo("sig"));
            Assert.That(published.Kid, Is.EqualTo(record.KeyId));
            Assert.That(Base64UrlEncoder.DecodeBytes(published.X), Is.EqualTo(point.X).And.Length.EqualTo(32));
            Assert.That(Base64UrlEncoder.DecodeBytes(published.Y), Is.EqualTo(point.Y).And.Length.EqualTo(32));
        });
    }

    [Test]
    public void APublishedKeyAloneVerifiesWhatThePrivateKeySigned()
    {
        using var key = new SigningKey(SigningKey.Generate(Now, TimeSpan.FromDays(1)));
        var published = key.Publish();
        using var verifier = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(published.X), Y = Base64UrlEncoder.DecodeBytes(published.Y) },
        });
        var data = "header.payload"u8.ToArray();

        var signature = ((ECDsaSecurityKey)key.Credentials.Key).ECDsa.SignData(data, HashAlgorithmName.SHA256);

        Assert.That(verifier.VerifyData(data, signature, HashAlgorithmName.SHA256), Is.True);
        Assert.That(key.Credentials.Key.KeyId, Is.EqualTo(published.Kid));
        Assert.That(key.VerificationKey.KeyId, Is.EqualTo(published.Kid));
    }

    private static byte[] PrivateScalar(SigningKey key)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(key.Record.PrivateKeyPkcs8, out _);
        return ecdsa.ExportParameters(true).D!;
    }
}
