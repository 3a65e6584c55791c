using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace WebIde.Identity.Accounts;

/// <summary>
/// Refresh tokens are 256 random bits handed to the client once; the store only ever sees
/// their SHA-256, so a leaked database holds no usable token.
/// </summary>
public static class RefreshTokens
{
    public static string Create() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
