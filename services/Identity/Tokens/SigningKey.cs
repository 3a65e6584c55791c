using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using WebIde.Identity.Storage;

namespace WebIde.Identity.Tokens;

/// <summary>A stored key, loaded: the private half signs, the public half is published.</summary>
public sealed class SigningKey : IDisposable
{
    private readonly ECDsa _privateKey;
    private readonly ECDsa _publicKey;

    public SigningKey(SigningKeyRecord record)
    {
        Record = record;
        _privateKey = ECDsa.Create();
        _privateKey.ImportPkcs8PrivateKey(record.PrivateKeyPkcs8, out _);
        _publicKey = ECDsa.Create(_privateKey.ExportParameters(includePrivateParameters: false));
        Credentials = new SigningCredentials(new ECDsaSecurityKey(_privateKey) { KeyId = record.KeyId }, SecurityAlgorithms.EcdsaSha256);
        VerificationKey = new ECDsaSecurityKey(_publicKey) { KeyId = record.KeyId };
    }

    public SigningKeyRecord Record { get; }

    public SigningCredentials Credentials { get; }

    public ECDsaSecurityKey VerificationKey { get; }

    /// <summary>The public key as a JWK: no private parameter ever leaves the service.</summary>
    public PublishedKey Publish()
    {
        var parameters = _publicKey.ExportParameters(includePrivateParameters: false);
        return new PublishedKey(
            Kty: "EC",
            Crv: "P-256",
            X: Base64UrlEncoder.Encode(parameters.Q.X),
            Y: Base64UrlEncoder.Encode(parameters.Q.Y),
            Kid: Record.KeyId,
            Use: "sig",
            Alg: "ES256");
    }

    public static SigningKeyRecord Generate(DateTimeOffset now, TimeSpan retiresAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new SigningKeyRecord(
            KeyId: Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(12)),
            Algorithm: "ES256",
            PrivateKeyPkcs8: key.ExportPkcs8PrivateKey(),
            CreatedAt: now,
            RetiresAt: now + retiresAfter);
    }

    public void Dispose()
    {
        _privateKey.Dispose();
        _publicKey.Dispose();
    }
}
