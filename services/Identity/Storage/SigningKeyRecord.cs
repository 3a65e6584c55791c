namespace WebIde.Identity.Storage;

/// <summary>
/// An ES256 key pair that signs access tokens (the newest active one signs; older ones keep
/// verifying until the tokens they signed have expired).
/// </summary>
public sealed record SigningKeyRecord(
    string KeyId,
    string Algorithm,
    byte[] PrivateKeyPkcs8,
    DateTimeOffset CreatedAt,
    DateTimeOffset RetiresAt);
