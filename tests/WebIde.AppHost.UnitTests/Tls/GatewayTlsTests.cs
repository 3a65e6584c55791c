using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Aspire.Hosting.ApplicationModel;
using WebIde.AppHost.Platform.Tls;

namespace WebIde.AppHost.UnitTests.Tls;

/// <summary><c>./webide up --tls [--cert FILE --key FILE]</c>: what the gateway is started with (docs/api.md §7).</summary>
public sealed class GatewayTlsTests
{
    [Test]
    public async Task WithTlsBothPublicPortsServeHttpsWithTheCertificateMadeInTheDataFolder()
    {
        await using var builder = await AppModel.BuildAsync("--WebIde:Tls:Enabled=true");

        var gateway = builder.Resource<ProjectResource>("gateway");
        var environment = await gateway.ManifestEnvironmentAsync();
        var folder = Path.Combine(AppModel.DataDir, TlsExtensions.Folder);

        Assert.Multiple(() =>
        {
            Assert.That(Schemes(gateway), Is.EqualTo(new Dictionary<string, string> { ["http"] = "https", ["grpc"] = "https" }));
            Assert.That(environment["Kestrel__Endpoints__http__Url"], Does.StartWith("https://"));
            Assert.That(environment["Kestrel__Endpoints__grpc__Url"], Does.StartWith("https://"));
            Assert.That(environment["Kestrel__Certificates__Default__Path"], Is.EqualTo(Path.Combine(folder, SelfMadeCertificates.CertificateFileName)));
            Assert.That(environment["Kestrel__Certificates__Default__KeyPath"], Is.EqualTo(Path.Combine(folder, SelfMadeCertificates.KeyFileName)));
            Assert.That(File.Exists(Path.Combine(folder, SelfMadeCertificates.AuthorityFileName)), "the CA to trust is there before the gateway starts");
            Assert.That(HealthChecks(gateway), Is.EqualTo(new[] { "gateway-https-probe" }), "probed over TLS, not over plain HTTP it no longer speaks");
        });
    }

    [Test]
    public async Task WithoutTlsTheGatewayIsPlainHttpAsBefore()
    {
        await using var builder = await AppModel.BuildAsync();

        var gateway = builder.Resource<ProjectResource>("gateway");
        var environment = await gateway.ManifestEnvironmentAsync();

        Assert.Multiple(() =>
        {
            Assert.That(Schemes(gateway), Is.EqualTo(new Dictionary<string, string> { ["http"] = "http", ["grpc"] = "http" }));
            Assert.That(environment.Keys, Has.None.StartsWith("Kestrel__Certificates__"));
            Assert.That(HealthChecks(gateway), Has.None.EqualTo("gateway-https-probe"));
        });
    }

    [Test]
    public async Task AGivenCertificateIsServedFromWhereItIs()
    {
        var (certificate, key) = WritePair(matching: true);
        try
        {
            await using var builder = await AppModel.BuildAsync($"--WebIde:Tls:CertificateFile={certificate}", $"--WebIde:Tls:KeyFile={key}");

            var gateway = builder.Resource<ProjectResource>("gateway");
            var environment = await gateway.ManifestEnvironmentAsync();

            Assert.Multiple(() =>
            {
                Assert.That(Schemes(gateway).Values, Is.All.EqualTo("https"), "a certificate given turns TLS on");
                Assert.That(environment["Kestrel__Certificates__Default__Path"], Is.EqualTo(certificate));
                Assert.That(environment["Kestrel__Certificates__Default__KeyPath"], Is.EqualTo(key));
            });
        }
        finally
        {
            File.Delete(certificate);
            File.Delete(key);
        }
    }

    [Test]
    public void ACertificateWithoutItsKeyIsRefused()
    {
        var (certificate, key) = WritePair(matching: true);
        try
        {
            var error = Assert.ThrowsAsync<InvalidOperationException>(() => AppModel.BuildAsync($"--WebIde:Tls:CertificateFile={certificate}"));

            Assert.That(error!.Message, Does.Contain("--cert FILE --key FILE"));
        }
        finally
        {
            File.Delete(certificate);
            File.Delete(key);
        }
    }

    [Test]
    public void AKeyOfAnotherCertificateIsRefusedNamingBothFiles()
    {
        var (certificate, key) = WritePair(matching: false);
        try
        {
            var error = Assert.ThrowsAsync<InvalidOperationException>(() => AppModel.BuildAsync($"--WebIde:Tls:CertificateFile={certificate}", $"--WebIde:Tls:KeyFile={key}"));

            Assert.That(error!.Message, Does.Contain(certificate).And.Contain(key));
        }
        finally
        {
            File.Delete(certificate);
            File.Delete(key);
        }
    }

    private static Dictionary<string, string> Schemes(ProjectResource gateway) =>
        gateway.Annotations.OfType<EndpointAnnotation>().ToDictionary(endpoint => endpoint.Name, endpoint => endpoint.UriScheme);

    private static string[] HealthChecks(ProjectResource gateway) =>
        [.. gateway.Annotations.OfType<HealthCheckAnnotation>().Select(check => check.Key)];

    /// <summary>A PEM certificate and a key: its own, or another one's.</summary>
    private static (string Certificate, string Key) WritePair(bool matching)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=ide.example.test", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var stem = Path.Combine(Path.GetTempPath(), $"given-{Guid.NewGuid():N}");
        File.WriteAllText($"{stem}.crt", certificate.ExportCertificatePem());
        File.WriteAllText($"{stem}.key", (matching ? key : other).ExportPkcs8PrivateKeyPem());
        return ($"{stem}.crt", $"{stem}.key");
    }
}
