namespace WebIde.Identity.Tokens;

/// <summary>One entry of the JSON Web Key Set (RFC 7517), public parameters only.</summary>
public sealed record PublishedKey(string Kty, string Crv, string X, string Y, string Kid, string Use, string Alg);
