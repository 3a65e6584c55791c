using System.Security.Cryptography;
using WebIde.ServiceDefaults.Files;

namespace WebIde.AppHost.Platform;

/// <summary>
/// The secrets made once for this installation (Redis's password, RabbitMQ's users'…), each a
/// file under <c>secrets/</c> in the data folder that only the platform's user can read. Kept
/// across runs because what they protect is: a RabbitMQ container's user is set when its
/// volume is first made, and MongoDB's root user likewise.
/// </summary>
public sealed class InstallationSecrets(string folder)
{
    public string Folder => folder;

    /// <summary>
    /// The secret named <paramref name="name"/>, made on first use: 32 random bytes as lower-case
    /// hex, which needs no escaping in a URI, a Redis connection string or a config file.
    /// </summary>
    public string Get(string name)
    {
        if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) || name.StartsWith('.'))
        {
            throw new ArgumentException($"'{name}' is not a secret's name: letters, digits, '-', '_' and '.' only.", nameof(name));
        }

        var file = Path.Combine(OwnerOnlyFiles.CreateFolder(folder), name);
        if (File.Exists(file))
        {
            if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(file) != OwnerOnlyFiles.SecretMode)
            {
                File.SetUnixFileMode(file, OwnerOnlyFiles.SecretMode);
            }
            var existing = File.ReadAllText(file).Trim();
            if (existing.Length > 0)
            {
                return existing;
            }
        }

        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        OwnerOnlyFiles.WriteSecret(file, secret);
        return secret;
    }
}
