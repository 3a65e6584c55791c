using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WebIde.ServiceDefaults.Files;

namespace WebIde.AppHost.Platform.Tls;

public static class TlsExtensions
{
    /// <summary>Where the self-made CA and certificate are kept, under the data folder.</summary>
    public const string Folder = "tls";

    /// <summary>Where a given certificate and key are copied for a gateway that runs as the services' user.</summary>
    public const string GivenCertificateFileName = "given.crt";

    /// <inheritdoc cref="GivenCertificateFileName"/>
    public const string GivenKeyFileName = "given.key";

    /// <summary>
    /// The gateway serves TLS on its HTTPS endpoints (docs/api.md §7): Kestrel reads the certificate and key files
    /// from its configuration (<c>Kestrel:Certificates:Default</c>), for every endpoint; the gRPC endpoint, HTTP/2
    /// only, then negotiates h2 by ALPN. The gateway is healthy once <paramref name="healthPath"/> answers over TLS.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTls(
        this IResourceBuilder<ProjectResource> gateway, TlsSettings tls, PlatformSettings settings, string healthEndpoint, string healthPath)
    {
        var certificate = tls.IsGiven
            ? Given(tls)
            : new SelfMadeCertificates(Path.Combine(settings.DataDir, Folder), TimeProvider.System).Ensure(SelfMadeCertificates.MachineNames());
        var served = LoadOrExplain(certificate);
        Describe(certificate, served, settings);
        certificate = ReadableByTheGateway(certificate, settings);

        var key = $"{gateway.Resource.Name}-https-probe";
        var check = new PinnedCertificateHealthCheck(gateway.GetEndpoint(healthEndpoint), healthPath, served);
        gateway.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(key, _ => check, HealthStatus.Unhealthy, tags: null));
        return gateway
            .WithEnvironment("Kestrel__Certificates__Default__Path", certificate.CertificateFile)
            .WithEnvironment("Kestrel__Certificates__Default__KeyPath", certificate.KeyFile)
            .WithHealthCheck(key);
    }

    private static GatewayCertificate Given(TlsSettings tls)
    {
        foreach (var file in new[] { tls.CertificateFile!, tls.KeyFile! })
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"WebIde:Tls: {file} does not exist.", file);
            }
        }
        return new GatewayCertificate(tls.CertificateFile!, tls.KeyFile!, AuthorityFile: null);
    }

    /// <summary>
    /// With a services' user (<c>WebIde:ServiceUser</c>) the gateway runs as that user, and the key becomes theirs;
    /// the folder stays the platform's, with the CA's key in it. A given pair is copied into that folder first:
    /// the operator's files may be root's alone (as <c>/etc/ssl/private</c> is), and are not the platform's to give away.
    /// </summary>
    private static GatewayCertificate ReadableByTheGateway(GatewayCertificate certificate, PlatformSettings settings)
    {
        if (settings.ServiceAccount is null)
        {
            return certificate;
        }
        if (certificate.AuthorityFile is null)
        {
            var folder = settings.DataFolder(Folder);
            var copy = new GatewayCertificate(Path.Combine(folder, GivenCertificateFileName), Path.Combine(folder, GivenKeyFileName), AuthorityFile: null);
            OwnerOnlyFiles.WritePublic(copy.CertificateFile, File.ReadAllText(certificate.CertificateFile));
            OwnerOnlyFiles.WriteSecret(copy.KeyFile, File.ReadAllText(certificate.KeyFile));
            certificate = copy;
        }
        settings.HandToServices(certificate.KeyFile);
        return certificate;
    }

    /// <summary>A pair Kestrel would refuse stops the start here, with the files named, rather than in the gateway's log.</summary>
    private static X509Certificate2 LoadOrExplain(GatewayCertificate certificate)
    {
        try
        {
            return certificate.Load();
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"WebIde:Tls: {certificate.CertificateFile} and {certificate.KeyFile} are not a PEM certificate and its unencrypted private key: {exception.Message}", exception);
        }
    }

    /// <summary>Printed at every start: what is served, and for a self-made certificate which CA to trust and how.</summary>
    private static void Describe(GatewayCertificate certificate, X509Certificate2 served, PlatformSettings settings)
    {
        var names = string.Join(", ", SelfMadeCertificates.NamesOf(served).Order(StringComparer.Ordinal));
        var until = served.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        if (certificate.AuthorityFile is not { } authority)
        {
            Console.WriteLine($"WebIde: TLS with {certificate.CertificateFile} ({served.Subject}; {names}; valid until {until})");
            return;
        }

        var port = settings.HttpPort is { } http ? $":{http}" : "";
        var grpcPort = settings.GrpcPort is { } grpc ? $":{grpc}" : "";
        Console.WriteLine($"""
            WebIde: TLS with a certificate of its own for {names} (valid until {until}), signed by the CA
              {authority}
            which browsers and clients must trust (once; it is kept in the data folder):
              curl:     curl --cacert {authority} https://localhost{port}/
              grpcurl:  grpcurl -cacert {authority} localhost{grpcPort} list
              Node:     NODE_EXTRA_CA_CERTS={authority}
              Chromium: certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n "WebIde local CA" -i {authority}
                        (package libnss3-tools; or Settings > Privacy and security > Security >
                        Manage certificates > Authorities > Import), then restart Chromium
              Debian, system-wide: cp {authority} /usr/local/share/ca-certificates/webide.crt && update-ca-certificates
            """);
    }
}
