using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using WebIde.AppHost.Platform.Tls;
using WebIde.Tests.Shared;

namespace WebIde.AppHost.UnitTests.Tls;

/// <summary>
/// <c>./webide up --tls</c> without a certificate: what a browser told to trust the platform's CA relies on (docs/api.md §7).
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class SelfMadeCertificatesTests
{
    private static readonly string[] Names = ["localhost", "127.0.0.1", "::1", "devbox"];

    private string _folder = null!;
    private ManualTime _time = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Directory.CreateTempSubdirectory("webide-tls-tests-").FullName, "tls");
        _time = new ManualTime(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(Path.GetDirectoryName(_folder)!, recursive: true);

    private GatewayCertificate Ensure(string[]? names = null) => new SelfMadeCertificates(_folder, _time).Ensure(names ?? Names);

    [Test]
    public void TheServerCertificateVerifiesWithItsCaAsTheOnlyTrustAnchor()
    {
        var made = Ensure();
        using var server = made.Load();
        using var authority = X509CertificateLoader.LoadCertificateFromFile(made.AuthorityFile!);

        var otherFolder = Path.Combine(Path.GetDirectoryName(_folder)!, "other");
        var other = new SelfMadeCertificates(otherFolder, _time).Ensure(Names);
        using var otherAuthority = X509CertificateLoader.LoadCertificateFromFile(other.AuthorityFile!);

        Assert.Multiple(() =>
        {
            Assert.That(SelfMadeCertificates.IsIssuedBy(server, authority, _time.Now), Is.True, "a client trusting only this CA accepts the certificate");
            Assert.That(SelfMadeCertificates.IsIssuedBy(server, otherAuthority, _time.Now), Is.False, "another installation's CA does not vouch for it");
            Assert.That(server.HasPrivateKey, Is.True);
            Assert.That(authority.HasPrivateKey, Is.False, "the CA file a user is told to trust holds no key");
        });
    }

    [Test]
    public void NamesEveryAddressTheMachineIsReachedByForServerAuthenticationOnly()
    {
        using var server = Ensure().Load();

        var usages = server.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(oid => oid.Value);
        Assert.Multiple(() =>
        {
            Assert.That(SelfMadeCertificates.NamesOf(server), Is.EquivalentTo(Names));
            Assert.That(usages, Is.EqualTo(new[] { "1.3.6.1.5.5.7.3.1" }), "serverAuth, nothing else");
            Assert.That(server.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority, Is.False, "it must not sign certificates itself");
            Assert.That(server.NotAfter - server.NotBefore, Is.LessThanOrEqualTo(TimeSpan.FromDays(398)), "Chromium refuses longer-lived server certificates");
        });
    }

    [Test]
    public void MachineNamesAreLoopbackByNameAndAddressAndTheHostName()
    {
        Assert.That(SelfMadeCertificates.MachineNames(), Is.SupersetOf(new[] { "localhost", "127.0.0.1", "::1", System.Net.Dns.GetHostName() }));
    }

    [Test]
    public void PrivateKeysAreReadableByTheOwnerAloneInAFolderOfTheirOwn()
    {
        var made = Ensure();

        Assert.Multiple(() =>
        {
            Assert.That(File.GetUnixFileMode(_folder), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
            Assert.That(File.GetUnixFileMode(made.KeyFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(File.GetUnixFileMode(Path.Combine(_folder, SelfMadeCertificates.AuthorityKeyFileName)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(File.GetUnixFileMode(made.AuthorityFile!) & UnixFileMode.OtherRead, Is.EqualTo(UnixFileMode.OtherRead), "the CA certificate is public");
            Assert.That(Directory.GetFiles(_folder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "ca.crt", "ca.key", "server.crt", "server.key" }), "no temporary file left behind");
        });
    }

    [Test]
    public void AnExistingFolderOpenToOthersIsClosed()
    {
        Directory.CreateDirectory(_folder);
        File.SetUnixFileMode(_folder, (UnixFileMode)0b111_101_101);

        Ensure();

        Assert.That(File.GetUnixFileMode(_folder), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }

    [Test]
    public void ASecondStartReusesTheCaAndTheCertificate()
    {
        var first = Ensure();
        using var firstServer = first.Load();
        var firstAuthority = File.ReadAllText(first.AuthorityFile!);
        _time.Advance(TimeSpan.FromDays(200));

        var second = Ensure();
        using var secondServer = second.Load();

        Assert.Multiple(() =>
        {
            Assert.That(secondServer.Thumbprint, Is.EqualTo(firstServer.Thumbprint));
            Assert.That(File.ReadAllText(second.AuthorityFile!), Is.EqualTo(firstAuthority));
        });
    }

    [Test]
    public void TheCertificateIsMadeAgainNearItsEndUnderTheSameCa()
    {
        var first = Ensure();
        using var firstServer = first.Load();
        var authority = File.ReadAllText(first.AuthorityFile!);
        _time.Now = firstServer.NotAfter.ToUniversalTime() - SelfMadeCertificates.RenewBefore + TimeSpan.FromDays(1);

        var second = Ensure();
        using var secondServer = second.Load();
        using var secondAuthority = X509CertificateLoader.LoadCertificateFromFile(second.AuthorityFile!);

        Assert.Multiple(() =>
        {
            Assert.That(secondServer.Thumbprint, Is.Not.EqualTo(firstServer.Thumbprint));
            Assert.That(secondServer.NotAfter, Is.GreaterThan(firstServer.NotAfter));
            Assert.That(File.ReadAllText(second.AuthorityFile!), Is.EqualTo(authority), "a browser that trusts the CA keeps trusting");
            Assert.That(SelfMadeCertificates.IsIssuedBy(secondServer, secondAuthority, _time.Now), Is.True);
        });
    }

    [Test]
    public void TheCertificateIsMadeAgainWhenTheMachineIsRenamed()
    {
        using var first = Ensure().Load();

        using var second = Ensure(["localhost", "127.0.0.1", "::1", "renamed-box"]).Load();

        Assert.Multiple(() =>
        {
            Assert.That(second.Thumbprint, Is.Not.EqualTo(first.Thumbprint));
            Assert.That(SelfMadeCertificates.NamesOf(second), Does.Contain("renamed-box").And.Not.Contain("devbox"));
        });
    }

    [Test]
    public void ALostCaKeyMakesANewCaAndACertificateItSigns()
    {
        var first = Ensure();
        var firstAuthority = File.ReadAllText(first.AuthorityFile!);
        File.Delete(Path.Combine(_folder, SelfMadeCertificates.AuthorityKeyFileName));

        var second = Ensure();
        using var server = second.Load();
        using var authority = X509CertificateLoader.LoadCertificateFromFile(second.AuthorityFile!);

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(second.AuthorityFile!), Is.Not.EqualTo(firstAuthority));
            Assert.That(SelfMadeCertificates.IsIssuedBy(server, authority, _time.Now), Is.True);
        });
    }

    [Test]
    public void AKeyThatIsNotTheCertificatesOwnIsReplacedByANewPair()
    {
        var first = Ensure();
        File.Copy(Path.Combine(_folder, SelfMadeCertificates.AuthorityKeyFileName), first.KeyFile, overwrite: true);

        using var server = Ensure().Load();

        Assert.That(SelfMadeCertificates.NamesOf(server), Is.EquivalentTo(Names));
    }
}
