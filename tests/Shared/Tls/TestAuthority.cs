using WebIde.AppHost.Platform.Tls;

namespace WebIde.Tests.Shared.Tls;

/// <summary>
/// A throw-away CA and a server certificate it signed for the loopback address, made as the platform makes its own
/// (<see cref="SelfMadeCertificates"/>), as PEM files in a folder of their own.
/// </summary>
internal sealed class TestAuthority : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("webide-internal-ca-");

    public TestAuthority()
    {
        Server = new SelfMadeCertificates(_folder.FullName, TimeProvider.System).Ensure(["127.0.0.1", "localhost"]);
    }

    /// <summary>The server's certificate and key, and <see cref="GatewayCertificate.AuthorityFile"/>, the CA to trust.</summary>
    public GatewayCertificate Server { get; }

    public string AuthorityFile => Server.AuthorityFile!;

    public void Dispose() => _folder.Delete(recursive: true);
}
