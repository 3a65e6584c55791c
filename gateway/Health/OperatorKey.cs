using System.Security.Cryptography;
using System.Text;

namespace WebIde.Gateway.Health;

/// <summary>The installation's operator key, compared in constant time (as hashes, so its length does not show either).</summary>
public static class OperatorKey
{
    public const string Header = "X-WebIde-Operator-Key";

    public static bool Matches(string configured, string? presented) =>
        configured.Length > 0
        && presented is not null
        && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(configured)),
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
}
