using System.Security.Cryptography;
using System.Text;

namespace WebIde.AppHost.Infrastructure;

/// <summary>
/// A password as RabbitMQ stores it with <c>rabbit_password_hashing_sha256</c>: a random 4-byte
/// salt, then SHA-256 of the salt and the UTF-8 password, all in base64. The definitions file
/// carries these, never the passwords.
/// </summary>
public static class RabbitMqPasswordHash
{
    public const string Algorithm = "rabbit_password_hashing_sha256";

    public const int SaltLength = 4;

    public static string Compute(string password) => Compute(password, RandomNumberGenerator.GetBytes(SaltLength));

    public static string Compute(string password, ReadOnlySpan<byte> salt)
    {
        if (salt.Length != SaltLength)
        {
            throw new ArgumentException($"RabbitMQ's salt is {SaltLength} bytes.", nameof(salt));
        }
        byte[] salted = [.. salt, .. Encoding.UTF8.GetBytes(password)];
        return Convert.ToBase64String([.. salt, .. SHA256.HashData(salted)]);
    }
}
