using System.Security.Cryptography.X509Certificates;

namespace WebIde.AppHost.Platform.Tls;

/// <summary>
/// The certificate the gateway serves, as the PEM files Kestrel reads, and the CA that signed it when the platform
/// made it (null for a given certificate).
/// </summary>
public sealed record GatewayCertificate(string CertificateFile, string KeyFile, string? AuthorityFile)
{
    /// <summary>The certificate with its private key: loading it proves the two files belong together.</summary>
    public X509Certificate2 Load() => X509Certificate2.CreateFromPemFile(CertificateFile, KeyFile);
}
