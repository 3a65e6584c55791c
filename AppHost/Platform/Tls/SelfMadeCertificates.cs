using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WebIde.ServiceDefaults.Files;

namespace WebIde.AppHost.Platform.Tls;

/// <summary>
/// The gateway's certificate when the operator gives none: a CA made once per installation (kept, so a browser told
/// to trust it keeps trusting it) signs a server certificate for the names the platform is reached by. The server
/// certificate is made again when it nears its end, when the names change, or when the CA is new; the CA only when
/// it is missing, unreadable or itself near its end. Made with .NET's own cryptography: nothing to install.
/// </summary>
public sealed class SelfMadeCertificates(string folder, TimeProvider time)
{
    public const string AuthorityFileName = "ca.crt";
    public const string AuthorityKeyFileName = "ca.key";
    public const string CertificateFileName = "server.crt";
    public const string KeyFileName = "server.key";

    public static readonly TimeSpan AuthorityLifetime = TimeSpan.FromDays(10 * 365);

    /// <summary>Under Chromium's 398 days, which it holds publicly trusted CAs' certificates to.</summary>
    public static readonly TimeSpan CertificateLifetime = TimeSpan.FromDays(365);

    /// <summary>A certificate with less left than this is made again at start, so a running platform does not see it end.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    public string AuthorityFile => Path.Combine(folder, AuthorityFileName);

    private string AuthorityKeyFile => Path.Combine(folder, AuthorityKeyFileName);

    private string CertificateFile => Path.Combine(folder, CertificateFileName);

    private string KeyFile => Path.Combine(folder, KeyFileName);

    /// <summary>The names this machine is reached by: loopback by name and address (IPv4 and IPv6), and its host name.</summary>
    public static IReadOnlyCollection<string> MachineNames() =>
        new HashSet<string>(["localhost", "127.0.0.1", "::1", Dns.GetHostName()], StringComparer.OrdinalIgnoreCase);

    /// <summary>The certificate for <paramref name="names"/> (host names and IP addresses), made or renewed when needed.</summary>
    public GatewayCertificate Ensure(IReadOnlyCollection<string> names)
    {
        OwnerOnlyFiles.CreateFolder(folder);
        var now = time.GetUtcNow();
        using var authority = LoadCurrent(AuthorityFile, AuthorityKeyFile, now) ?? CreateAuthority(now);
        using var existing = LoadCurrent(CertificateFile, KeyFile, now);
        if (existing is null || !IsIssuedBy(existing, authority, now) || !HasNames(existing, names))
        {
            Issue(authority, names, now);
        }
        return new GatewayCertificate(CertificateFile, KeyFile, AuthorityFile);
    }

    /// <summary>The pair on disk if both files are there, belong together and have more than <see cref="RenewBefore"/> left.</summary>
    private static X509Certificate2? LoadCurrent(string certificateFile, string keyFile, DateTimeOffset now)
    {
        if (!File.Exists(certificateFile) || !File.Exists(keyFile))
        {
            return null;
        }
        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            if (certificate.NotBefore <= now.UtcDateTime && certificate.NotAfter - now.UtcDateTime > RenewBefore)
            {
                return certificate;
            }
            certificate.Dispose();
            return null;
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            // Damaged, or a key of another certificate: made again.
            return null;
        }
    }

    private X509Certificate2 CreateAuthority(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // A name of its own: trust stores mix up two CAs of one name (another installation, an earlier CA of this one).
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
        var request = new CertificateRequest($"CN=WebIde local CA {id}, O=WebIde", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));

        var authority = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(AuthorityLifetime));
        OwnerOnlyFiles.WriteSecret(AuthorityKeyFile, key.ExportPkcs8PrivateKeyPem());
        OwnerOnlyFiles.WritePublic(AuthorityFile, authority.ExportCertificatePem());
        // The server certificate of an earlier CA is of no use any more.
        File.Delete(CertificateFile);
        return authority;
    }

    private void Issue(X509Certificate2 authority, IReadOnlyCollection<string> names, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=WebIde gateway, O=WebIde", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        request.CertificateExtensions.Add(SubjectAlternativeNames(names));

        var notAfter = now.Add(CertificateLifetime);
        if (notAfter > authority.NotAfter)
        {
            notAfter = authority.NotAfter;
        }
        using var certificate = request.Create(authority, now.AddMinutes(-5), notAfter, RandomNumberGenerator.GetBytes(16));
        OwnerOnlyFiles.WriteSecret(KeyFile, key.ExportPkcs8PrivateKeyPem());
        OwnerOnlyFiles.WritePublic(CertificateFile, certificate.ExportCertificatePem());
    }

    private static X509Extension SubjectAlternativeNames(IEnumerable<string> names)
    {
        var builder = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                builder.AddIpAddress(address);
            }
            else
            {
                builder.AddDnsName(name);
            }
        }
        return builder.Build(critical: false);
    }

    /// <summary>Whether the certificate's chain ends at <paramref name="authority"/> alone, for server authentication.</summary>
    public static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2 authority, DateTimeOffset at)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        return chain.Build(certificate);
    }

    /// <summary>The host names and IP addresses the certificate is for, in the forms <see cref="Ensure"/> takes.</summary>
    public static IReadOnlySet<string> NamesOf(X509Certificate2 certificate)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault() is { } alternatives)
        {
            names.UnionWith(alternatives.EnumerateDnsNames());
            names.UnionWith(alternatives.EnumerateIPAddresses().Select(address => address.ToString()));
        }
        return names;
    }

    private static bool HasNames(X509Certificate2 certificate, IEnumerable<string> names) =>
        NamesOf(certificate).SetEquals(names.Select(name => IPAddress.TryParse(name, out var address) ? address.ToString() : name));
}
