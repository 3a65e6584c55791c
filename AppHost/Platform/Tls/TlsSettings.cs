using Microsoft.Extensions.Configuration;

namespace WebIde.AppHost.Platform.Tls;

/// <summary>
/// The <c>WebIde:Tls</c> section (<c>./webide up --tls [--cert FILE --key FILE]</c>): the gateway serves HTTPS,
/// WSS and gRPC over TLS (docs/api.md §7), with the given PEM certificate and key, or with one the platform makes
/// for itself when none is given.
/// </summary>
public sealed record TlsSettings(string? CertificateFile, string? KeyFile)
{
    /// <summary>Whether the operator gave the certificate; otherwise the platform makes its own.</summary>
    public bool IsGiven => CertificateFile is not null;

    /// <summary>The settings when TLS is on (<c>Enabled=true</c>, or a certificate given), else null.</summary>
    public static TlsSettings? From(IConfigurationSection section, string baseDirectory)
    {
        var certificate = PathOrNull(section["CertificateFile"], baseDirectory);
        var key = PathOrNull(section["KeyFile"], baseDirectory);
        if ((certificate is null) != (key is null))
        {
            throw new InvalidOperationException("WebIde:Tls: give both the certificate and its key (--cert FILE --key FILE), or neither.");
        }

        var enabled = string.Equals(section["Enabled"], "true", StringComparison.OrdinalIgnoreCase) || certificate is not null;
        return enabled ? new TlsSettings(certificate, key) : null;
    }

    private static string? PathOrNull(string? value, string baseDirectory) =>
        string.IsNullOrEmpty(value) ? null : Path.GetFullPath(value, baseDirectory);
}
